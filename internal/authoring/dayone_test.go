package authoring_test

// Day one (docs/first-deploy.md): a tree that holds only its root, imported in one file by
// the root's admin, and a quiz whose questions all come by import.

import (
	"context"
	"slices"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

// rootOnly is a service on a table holding only the root unit th, as `make first-admin`
// leaves a fresh deployment.
func rootOnly(t *testing.T) (*authoring.Service, *dynamo.Store) {
	t.Helper()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	if err := store.PutUnits(context.Background(), []units.Unit{{ID: "th", Name: "Tỉnh Thanh Hóa", Kind: "province"}}); err != nil {
		t.Fatal(err)
	}
	return authoring.NewService(store, testenv.NewClock(start).Now), store
}

func TestTheRootsAdminImportsTheWholeTreeInOneFile(t *testing.T) {
	header := "id,parentId,name,kind,population,households"
	commune := "cam-thuy,th,Xã Cẩm Thủy,commune,0,0"
	villages := []string{"cam-thuy-t01,cam-thuy,Thôn Phong Ý,village,842,241", "cam-thuy-t02,cam-thuy,Thôn Đồng Lạc,village,615,170"}
	tests := []struct {
		name  string
		lines []string
	}{
		{"a file with the commune before its villages is taken whole", append([]string{header, commune}, villages...)},
		{"a file with the villages before their commune is taken whole too", append(append([]string{header}, villages...), commune)},
		{"a file that repeats the root unchanged is taken whole", append([]string{header, "th,,Tỉnh Thanh Hóa,province,0,0", commune}, villages...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, store := rootOnly(t)
			res, err := svc.ImportUnits(context.Background(), admin, "text/csv", csvFile(tt.lines...))
			if err != nil {
				t.Fatalf("ImportUnits: %v (rows %+v)", err, res.Errors)
			}
			if got, want := res.Imported, len(tt.lines)-1; got != want {
				t.Errorf("Imported = %d, want %d", got, want)
			}
			stored, err := store.ListUnits(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			tree, err := units.NewTree(stored)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tree.Leaves("th"), []string{"cam-thuy-t01", "cam-thuy-t02"}; !slices.Equal(slices.Sorted(slices.Values(got)), want) {
				t.Errorf("villages under th = %v, want %v", got, want)
			}
		})
	}
}

func TestADraftStartsEmptyTakesImportedQuestionsAndOnlyThenPublishes(t *testing.T) {
	svc, _ := rootOnly(t)
	ctx := context.Background()
	in := sampleInput()
	in.Questions = nil
	draft, err := svc.Create(ctx, admin, in)
	if err != nil {
		t.Fatalf("Create without questions: %v", err)
	}
	if _, err := svc.Publish(ctx, admin, draft.ID); apperr.CodeOf(err) != apperr.Validation {
		t.Errorf("publishing an empty draft: got %v, want a validation error", err)
	}
	res, err := svc.ImportQuestions(ctx, admin, draft.ID, "text/csv", csvFile(
		"kind,text,topic,points,correct,option1,option2",
		"single,Nghị quyết 58-NQ/TW về tỉnh nào?,a,1,2,Nghệ An,Thanh Hóa",
		"truefalse,Nghị quyết 58-NQ/TW do Bộ Chính trị ban hành.,a,1,Đúng,,",
	))
	if err != nil || res.Imported != 2 {
		t.Fatalf("ImportQuestions = %+v, %v; want 2 imported", res, err)
	}
	pub, err := svc.Publish(ctx, admin, draft.ID)
	if err != nil || pub.Status != quiz.Published || len(pub.Questions) != 2 {
		t.Fatalf("Publish = %s with %d questions, %v; want published with 2", pub.Status, len(pub.Questions), err)
	}
}

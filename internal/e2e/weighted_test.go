package e2e

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/report"
)

// The weighted figures, the sample-size helper and the methods note over HTTP on the demo
// data, as the officer's page reads them.
func TestTheDemoCommuneShowsItsWeightedFigureBesideThePoolAndTheSampleSizesPerVillage(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	// The demo residents `make run` loads: villages of a few to a dozen participants, each
	// with its own level of knowledge.
	if _, err := demo.LoadResidents(context.Background(), e.Stack.Store, e.Stack.Keys, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	officer := staffAs(t, srv, "canbo")
	read := func(t *testing.T, path string, into any) {
		t.Helper()
		status, raw := officer.do("GET", path)
		if status != 200 || json.Unmarshal(raw, into) != nil {
			t.Fatalf("%s = %d %s", path, status, raw)
		}
	}

	t.Run("the commune's total carries the weighted pass rate over its villages with enough participants", func(t *testing.T) {
		var aw report.Awareness
		read(t, "/v1/reports/awareness?quizId="+demoQuiz+"&unitId=xa-a", &aw)
		w := aw.Total.Weighted
		if w == nil || w.PassRate == nil || w.MeanScore == nil || w.PopulationCovered == nil {
			t.Fatalf("weighted = %+v, want figures", w)
		}
		shown := 0
		for _, r := range aw.Rows {
			if !r.Suppressed && r.Population > 0 {
				shown++
			}
		}
		if w.VillagesCovered != shown {
			t.Errorf("villages covered = %d, want the %d shown villages with a population", w.VillagesCovered, shown)
		}
		t.Logf("demo commune %s: pool pass rate %v %% %v, mean %v; weighted %v %% %v, mean %v %v; covering %v %% of the residents in %d of %d villages",
			aw.Total.Label, *aw.Total.PassRate, aw.Total.PassRateCI95, *aw.Total.MeanScore, *w.PassRate, w.PassRateCI95, *w.MeanScore, w.CI95,
			*w.PopulationCovered, w.VillagesCovered, len(aw.Rows))
	})

	t.Run("grouped by organisation the total has no weighted figure: groups have no population", func(t *testing.T) {
		var aw report.Awareness
		read(t, "/v1/reports/awareness?quizId="+demoQuiz+"&unitId=xa-a&groupBy=organization", &aw)
		if aw.Total.Weighted != nil {
			t.Errorf("weighted = %+v, want none", aw.Total.Weighted)
		}
	})

	t.Run("the sample-size helper asks each village for Cochran's size at ±5 points", func(t *testing.T) {
		var got report.SampleSizes
		read(t, "/v1/reports/sample-size?unitId=xa-a", &got)
		if got.MarginOfError != 5 || len(got.Rows) == 0 {
			t.Fatalf("sample sizes = %+v", got)
		}
		var total int64
		for _, r := range got.Rows {
			want, _ := report.SampleSize(5, r.Population)
			if r.Population == 0 || r.Draw == nil || *r.Draw != want {
				t.Errorf("%s (population %d) draws %v, want %d", r.Label, r.Population, r.Draw, want)
				continue
			}
			total += *r.Draw
		}
		if got.Total != total {
			t.Errorf("total = %d, want the villages' %d", got.Total, total)
		}
		t.Logf("±5 points: draw %d of %d residents in %d villages", got.Total, got.Population, len(got.Rows))
	})

	t.Run("a margin of error out of range is refused", func(t *testing.T) {
		for _, m := range []string{"0", "60", "abc"} {
			if status, raw := officer.do("GET", "/v1/reports/sample-size?unitId=xa-a&marginOfError="+m); status != 422 {
				t.Errorf("marginOfError=%s = %d %s, want 422", m, status, raw)
			}
		}
	})

	t.Run("the annual evaluation against a base quiz carries each quiz's change", func(t *testing.T) {
		base := e.Bank[demoQuiz]
		base.ID, base.Title = "demo-nq58-nam-truoc", "Tìm hiểu Nghị quyết 58 (năm trước)"
		if err := e.Stack.Store.PutQuiz(context.Background(), base); err != nil {
			t.Fatal(err)
		}
		status, raw := officer.do("GET", "/v1/reports/annual?unitId=xa-a&year=2026&format=html&baseQuizId="+base.ID)
		if status != 200 || !strings.Contains(string(raw), "Thay đổi so với bài so sánh") || !strings.Contains(string(raw), "theo dân số (tự nguyện)") {
			t.Errorf("annual page = %d, want 200 with the change and the weighted total", status)
		}
		if status, raw := officer.do("GET", "/v1/reports/annual?unitId=xa-a&year=2026&baseQuizId=khong-co"); status != 404 {
			t.Errorf("annual against a quiz that does not exist = %d %.200s, want 404", status, raw)
		}
	})

	t.Run("the methods note is the workbook's", func(t *testing.T) {
		var got struct {
			Rows []report.MethodsRow `json:"rows"`
		}
		read(t, "/v1/reports/methods", &got)
		if !reflect.DeepEqual(got.Rows, report.MethodsRows()) {
			t.Errorf("methods = %d rows, want the %d of report.MethodsNote", len(got.Rows), len(report.MethodsNote))
		}
	})
}

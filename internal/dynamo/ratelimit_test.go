package dynamo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/throttle"
)

func TestASourcesStartsAreCountedPerWindowAndPerDayInOneItem(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	db := dynamolocal.Client(endpoint)
	s := dynamo.New(db, table)
	const window = 2 * time.Minute
	morning := time.Date(2026, 11, 20, 8, 0, 30, 0, time.FixedZone("ICT", 7*3600))
	day := throttle.DayStart(morning)
	steps := []struct {
		name          string
		at            time.Time
		key           string
		window, inDay int64
	}{
		{"the first start of the day is the first of its window", morning, "k1", 1, 1},
		{"a second start in the window counts in both", morning.Add(time.Minute), "k1", 2, 2},
		{"the next window starts from one, the day goes on", morning.Add(2 * time.Minute), "k1", 1, 3},
		{"an hour later the window starts from one again", morning.Add(time.Hour), "k1", 1, 4},
		{"another source has its own counts", morning.Add(time.Hour), "k2", 1, 1},
		{"the next day starts from one", morning.Add(24 * time.Hour), "k1", 1, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			w := st.at.UTC().Truncate(window)
			gotW, gotD, err := s.CountStartDay(ctx, throttle.ScopeSource, st.key, throttle.DayStart(st.at), w, window)
			if err != nil {
				t.Fatal(err)
			}
			if gotW != st.window || gotD != st.inDay {
				t.Errorf("counts = %d in the window, %d in the day; want %d, %d", gotW, gotD, st.window, st.inDay)
			}
		})
	}
	t.Run("a day's item keeps only the windows of the last hour with starts", func(t *testing.T) {
		for i := range 40 { // 40 windows in a row: 80 minutes
			at := morning.Add(2*time.Hour + time.Duration(i)*window)
			if _, _, err := s.CountStartDay(ctx, throttle.ScopeSource, "k3", day, at.UTC().Truncate(window), window); err != nil {
				t.Fatal(err)
			}
		}
		out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: &table})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range out.Items {
			pk, ok := it["pk"].(*types.AttributeValueMemberS)
			if !ok || !strings.Contains(pk.Value, "#k3#") {
				continue
			}
			found = true
			windows := 0
			for name := range it {
				if strings.HasPrefix(name, "w") {
					windows++
				}
			}
			if windows > 1 {
				t.Errorf("the item keeps %d window counts, want 1 (earlier windows removed)", windows)
			}
		}
		if !found {
			t.Errorf("no day item for the source")
		}
	})
}

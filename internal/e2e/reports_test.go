package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/report"
)

func TestReportsAndTheirFilesOverHTTP(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	base := "/v1/reports/awareness?quizId=" + demoQuiz + "&unitId=xa-a&from=2026-01&to=2026-12"

	// Shared by the steps.
	var (
		token string
		aw    report.Awareness
		rows  = map[string]report.Row{}
	)
	get := func(t *testing.T, path string) (int, []byte, http.Header) {
		t.Helper()
		return staffRequest(t, srv.URL, token, "GET", path, nil)
	}

	if !t.Run("six residents of one village and one of another submit the quiz", func(t *testing.T) {
		// Six residents of one village (full marks, then none), one of another.
		for i, right := range []bool{true, true, true, false, false, true} {
			s := e.start(demoQuiz, resident(village, "", "dev-"+string(rune('a'+i))))
			if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, right)); status != 200 {
				t.Fatalf("submit: %d %s", status, raw)
			}
		}
		s := e.start(demoQuiz, resident("xa-a-t02", "", "dev-z"))
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, true)); status != 200 {
			t.Fatalf("submit: %d %s", status, raw)
		}
		if err := e.Stack.DrainStreams(context.Background()); err != nil {
			t.Fatal(err)
		}
	}) {
		return
	}

	if !t.Run("an officer signs in and reads the awareness report of the commune", func(t *testing.T) {
		token = signIn(t, srv.URL, "canbo")
		status, raw, _ := get(t, base)
		if status != 200 || json.Unmarshal(raw, &aw) != nil {
			t.Fatalf("awareness = %d %s", status, raw)
		}
		for _, r := range aw.Rows {
			rows[r.Key] = r
		}
	}) {
		return
	}

	if !t.Run("a village with six participants is judged: 4 of 6 at 100 and 2 at 0", func(t *testing.T) {
		r := rows[village]
		if r.Participants != 6 || r.Suppressed || r.MeanScore == nil || *r.MeanScore != 66.7 || r.PassRate == nil || *r.PassRate != 66.7 {
			t.Errorf("row = %+v, want 6 participants, mean 66.7, pass rate 66.7", r)
		}
		// sd = √(6·66.67·33.33/5) = 51.64; t(5) = 2.571; half-width 2.571·51.64/√6 = 54.2
		if len(r.CI95) != 2 || r.CI95[0] != 12.5 || r.CI95[1] != 100 {
			t.Errorf("ci95 = %v, want [12.5 100] (66.7 ± 54.2, clamped)", r.CI95)
		}
	}) {
		return
	}

	if !t.Run("a village with one participant shows counts only", func(t *testing.T) {
		r := rows["xa-a-t02"]
		if r.Participants != 1 || !r.Suppressed || r.MeanScore != nil || r.CI95 != nil {
			t.Errorf("row = %+v, want one suppressed participant", r)
		}
	}) {
		return
	}

	if !t.Run("the CSV file has a BOM and the same rows", func(t *testing.T) {
		status, raw, h := get(t, base+"&format=csv")
		if status != 200 || !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv = %d %q…, want 200 text/csv starting with a BOM", status, raw[:min(20, len(raw))])
		}
		records, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(records), 1+len(aw.Rows)+2; got != want {
			t.Errorf("csv has %d records, want header + %d rows + total + weighted total", got, len(aw.Rows))
		}
		if last := records[len(records)-1]; !strings.HasSuffix(last[1], report.WeightedLabel) {
			t.Errorf("csv's last row = %v, want the weighted total (%s)", last, report.WeightedLabel)
		}
		mean := slices.Index(records[0], "Điểm trung bình (%)")
		for _, rec := range records {
			if rec[0] == village && (rec[2] != "6" || mean < 0 || rec[mean] != "66,7 %") {
				t.Errorf("csv row of %s = %v, want 6 participants and mean 66,7 %%", village, rec)
			}
		}
	}) {
		return
	}

	if !t.Run("the XLSX file reads back with the same numbers", func(t *testing.T) {
		status, raw, _ := get(t, base+"&format=xlsx")
		if status != 200 {
			t.Fatalf("xlsx = %d", status)
		}
		sheets, err := export.ReadXLSX(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		rows := sheets["Nhận thức"]
		mean := -1
		if len(rows) > 0 {
			mean = slices.Index(rows[0], "Điểm trung bình (%)")
		}
		for _, row := range rows {
			if mean >= 0 && len(row) > mean && row[0] == village {
				// Excelize renders the 0.0 % format in en-US, with the sign before the space.
				found = row[2] == "6" && strings.HasPrefix(row[mean], "66.7%")
			}
		}
		if !found {
			t.Errorf("sheet Nhận thức = %v, want the village with 6 participants and 66.7 %%", sheets["Nhận thức"])
		}
	}) {
		return
	}

	t.Run("the annual workbook has a sheet for each part and the page prints", func(t *testing.T) {
		year := e.Clock.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006")
		status, raw, _ := get(t, "/v1/reports/annual?unitId=xa-a&year="+year+"&format=xlsx")
		if status != 200 {
			t.Fatalf("annual xlsx = %d %s", status, raw)
		}
		sheets, err := export.ReadXLSX(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		// Each quiz has its own sheets, named by the part and the title (a survey too;
		// this year has none).
		for _, name := range []string{"Thôn – ", "Phiếu giấy – ", "Chủ đề – ", "Câu hỏi – ", "Hoạt động", "Xu hướng – ", "Phương pháp"} {
			found := false
			for sheet := range sheets {
				found = found || strings.HasPrefix(sheet, name)
			}
			if !found {
				t.Errorf("annual workbook lacks a sheet %q… (has %d sheets)", name, len(sheets))
			}
		}
		status, raw, h := get(t, "/v1/reports/annual?unitId=xa-a&year="+year+"&format=html")
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !bytes.Contains(raw, []byte("Đánh giá kết quả")) {
			t.Errorf("annual html = %d %s", status, h.Get("Content-Type"))
		}
	})
}

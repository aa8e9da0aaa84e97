package webtest

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/quiz"
)

// jsList reads `export const <name> = [...];` from a module as JSON (labels.js keeps
// its lists in JSON syntax for this).
func jsList(t *testing.T, src, name string, v any) {
	t.Helper()
	start := strings.Index(src, "export const "+name+" = ")
	if start < 0 {
		t.Fatalf("labels.js has no `export const %s = `", name)
	}
	rest := src[start+len("export const "+name+" = "):]
	end := strings.Index(rest, "\n];")
	if end < 0 {
		t.Fatalf("labels.js: %s does not end with a line `];`", name)
	}
	if err := json.Unmarshal([]byte(rest[:end+2]), v); err != nil {
		t.Fatalf("labels.js: %s is not a JSON list: %v", name, err)
	}
}

// TestPageLabelsAreTheServers checks that web/lib/labels.js (as embedded and served)
// names the topics, the likert values and the question kinds as the server does: the
// topic codes are quiz.Topics in order, each label is quiz.TopicLabels', the likert
// labels are quiz.LikertLabels (authoring's default options), and QUESTION_KINDS are
// quiz.QuestionKinds in order with each kind's label, answer form, multiple picks,
// scoring and paper rules.
func TestPageLabelsAreTheServers(t *testing.T) {
	raw, err := fs.ReadFile(tracker.Web(), "lib/labels.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)

	var topics [][2]string
	jsList(t, src, "TOPICS", &topics)
	var codes []string
	for _, tp := range topics {
		codes = append(codes, tp[0])
		if want, ok := quiz.TopicLabels[tp[0]]; !ok {
			t.Errorf("labels.js topic %q is not in quiz.TopicLabels", tp[0])
		} else if tp[1] != want {
			t.Errorf("labels.js topic %q = %q, server says %q", tp[0], tp[1], want)
		}
	}
	if !slices.Equal(codes, quiz.Topics) {
		t.Errorf("labels.js topic codes = %v, quiz.Topics = %v", codes, quiz.Topics)
	}
	if len(topics) != len(quiz.TopicLabels) {
		t.Errorf("labels.js has %d topics, quiz.TopicLabels %d", len(topics), len(quiz.TopicLabels))
	}

	var likert []string
	jsList(t, src, "LIKERT_LABELS", &likert)
	if !slices.Equal(likert, quiz.LikertLabels) {
		t.Errorf("labels.js LIKERT_LABELS = %q, quiz.LikertLabels = %q", likert, quiz.LikertLabels)
	}

	type kindFacts struct {
		Kind     quiz.QuestionKind `json:"kind"`
		Label    string            `json:"label"`
		Answer   quiz.AnswerForm   `json:"answer"`
		Multiple bool              `json:"multiple"`
		Scored   bool              `json:"scored"`
		Paper    bool              `json:"paper"`
	}
	var kinds []kindFacts
	jsList(t, src, "QUESTION_KINDS", &kinds)
	var want []kindFacts
	for _, k := range quiz.QuestionKinds() {
		want = append(want, kindFacts{k, k.Label(), k.Answer(), k.MultiplePicks(), k.Scored(), k.OnPaper()})
	}
	if !slices.Equal(kinds, want) {
		t.Errorf("labels.js QUESTION_KINDS = %+v, server says %+v", kinds, want)
	}
}

// TestLabelsAreWrittenOnce checks that no other page file spells out a topic label or a
// likert label: they all import web/lib/labels.js.
func TestLabelsAreWrittenOnce(t *testing.T) {
	words := []string{"Rất không đồng ý", "Rất đồng ý", "Hoàn toàn không đồng ý", "Hoàn toàn đồng ý", "Phân vân"}
	for _, label := range quiz.TopicLabels {
		words = append(words, label)
	}
	err := fs.WalkDir(tracker.Web(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == "lib/labels.js" || strings.HasPrefix(path, "staff/vendor/") {
			return err
		}
		if !strings.HasSuffix(path, ".js") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		if _, ok := bundledFrom(t, tracker.Web(), path); ok { // holds labels.js itself
			return nil
		}
		raw, err := fs.ReadFile(tracker.Web(), path)
		if err != nil {
			return err
		}
		for _, w := range words {
			if strings.Contains(string(raw), w) {
				t.Errorf("%s spells out the label %q: import it from lib/labels.js", path, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

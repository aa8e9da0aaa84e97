package quiz

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/usertext"
)

// QuestionKind says how a question is answered and graded. Every rule that differs by
// kind is a method of it, read from the kind's row of kindTable: callers ask the kind
// and never compare kind names themselves, so a new kind is one row here (and one
// entry in the pages' web/lib/labels.js, which a test keeps equal to QuestionKinds).
type QuestionKind string

const (
	Single    QuestionKind = "single"
	Multiple  QuestionKind = "multiple"
	TrueFalse QuestionKind = "truefalse"
	Likert    QuestionKind = "likert" // 1–5, unscored
	Text      QuestionKind = "text"   // free text, unscored
)

// AnswerForm is what a resident sends for a question: option ids, a value on a scale
// or free text (quiz.Answer's OptionIDs, Value or Text).
type AnswerForm string

const (
	AnswerOptions AnswerForm = "options"
	AnswerValue   AnswerForm = "value"
	AnswerText    AnswerForm = "text"
)

// kindRules is one kind's row: everything the code needs to know about the kind.
type kindRules struct {
	kind   QuestionKind
	label  string // Vietnamese, for people (the pages show the same)
	answer AnswerForm
	scored bool // counts towards the score when it has correct options
	// multiple lets more than one option be chosen; shuffles lets a shuffled quiz
	// reorder the options (a true/false pair and a scale keep their natural order).
	multiple, shuffles bool
	// A stored question has minOptions..maxOptions options, else optionsMessage.
	minOptions, maxOptions int
	optionsMessage         string
	// An import row writes writtenMin..writtenMax options, or none when the kind has
	// defaults, else writtenMessage.
	writtenMin, writtenMax int
	writtenMessage         string
	defaults               []Option // the options of a question written without any
	fixedIDs               []string // option ids when exactly len(fixedIDs) options are written
	numberedIDs            bool     // options' ids are "1", "2"… (a scale's values)
	minValue, maxValue     int      // the scale of an AnswerValue kind
	// keyWords read an import row's correct cell as the index of the correct option
	// (true/false: "Đúng" or "Sai"); nil reads option column numbers.
	keyWords   map[string]int
	keyMessage string // the correct cell is not one of keyWords
	// onPaper says a paper sheet collects the kind; boxWords map what a collector may
	// write in a box to the option letter it means.
	onPaper  bool
	boxWords map[string]string
}

// kindTable holds the kinds in the order they are listed to people.
var kindTable = []kindRules{
	{kind: Single, label: "Một đáp án", answer: AnswerOptions, scored: true, shuffles: true,
		minOptions: 2, maxOptions: maxOptions, optionsMessage: fmt.Sprintf("needs 2 to %d options", maxOptions),
		writtenMin: 2, writtenMax: maxOptions, writtenMessage: "Câu trắc nghiệm cần ít nhất 2 lựa chọn", onPaper: true},
	{kind: Multiple, label: "Nhiều đáp án", answer: AnswerOptions, scored: true, multiple: true, shuffles: true,
		minOptions: 2, maxOptions: maxOptions, optionsMessage: fmt.Sprintf("needs 2 to %d options", maxOptions),
		writtenMin: 2, writtenMax: maxOptions, writtenMessage: "Câu trắc nghiệm cần ít nhất 2 lựa chọn", onPaper: true},
	{kind: TrueFalse, label: "Đúng/sai", answer: AnswerOptions, scored: true,
		minOptions: 2, maxOptions: maxOptions, optionsMessage: fmt.Sprintf("needs 2 to %d options", maxOptions),
		writtenMin: 2, writtenMax: 2, writtenMessage: "Câu đúng/sai cần đúng 2 lựa chọn, hoặc để trống để dùng Đúng/Sai",
		defaults: []Option{{ID: "t", Text: "Đúng"}, {ID: "f", Text: "Sai"}}, fixedIDs: []string{"t", "f"},
		keyWords:   map[string]int{"đúng": 0, "đ": 0, "true": 0, "1": 0, "sai": 1, "s": 1, "false": 1, "2": 1},
		keyMessage: "Đáp án %q không hợp lệ: ghi Đúng hoặc Sai",
		onPaper:    true, boxWords: map[string]string{"Đ": "A", "D": "A", "S": "B"}},
	{kind: Likert, label: "Thang 5 mức", answer: AnswerValue,
		minOptions: len(LikertLabels), maxOptions: len(LikertLabels), optionsMessage: "a likert question has exactly 5 options",
		writtenMin: len(LikertLabels), writtenMax: len(LikertLabels), writtenMessage: "Câu thang đo cần đúng 5 mức, hoặc để trống để dùng thang mặc định",
		defaults: likertDefaults(), numberedIDs: true, minValue: 1, maxValue: len(LikertLabels), onPaper: true},
	{kind: Text, label: "Tự luận", answer: AnswerText,
		optionsMessage: "a text question has no options", writtenMessage: "Câu tự luận không có lựa chọn"},
}

// LikertLabels name a likert scale's values 1–5, in order: the default option texts of
// a likert question (the pages show the same wording).
var LikertLabels = []string{"Rất không đồng ý", "Không đồng ý", "Phân vân", "Đồng ý", "Rất đồng ý"}

func likertDefaults() []Option {
	out := make([]Option, len(LikertLabels))
	for i, l := range LikertLabels {
		out[i] = Option{ID: strconv.Itoa(i + 1), Text: l}
	}
	return out
}

// QuestionKinds lists the kinds in the order they are shown to people.
func QuestionKinds() []QuestionKind {
	out := make([]QuestionKind, len(kindTable))
	for i, r := range kindTable {
		out[i] = r.kind
	}
	return out
}

// KindNames joins the kinds' names for a message: "single, multiple … or text" with
// the given last conjunction ("or", "hoặc").
func KindNames(or string) string {
	names := make([]string, len(kindTable))
	for i, r := range kindTable {
		names[i] = string(r.kind)
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + or + " " + names[len(names)-1]
}

// ParseQuestionKind reads a kind's name (any case, surrounding space ignored); ok is
// false when it names none.
func ParseQuestionKind(s string) (QuestionKind, bool) {
	k := QuestionKind(strings.ToLower(strings.TrimSpace(s)))
	return k, k.Valid()
}

func (k QuestionKind) rules() (kindRules, bool) {
	for _, r := range kindTable {
		if r.kind == k {
			return r, true
		}
	}
	return kindRules{}, false
}

func (k QuestionKind) must() kindRules {
	r, _ := k.rules()
	return r
}

// Valid reports whether k is one of the kinds.
func (k QuestionKind) Valid() bool { _, ok := k.rules(); return ok }

// Label names the kind for people, in Vietnamese.
func (k QuestionKind) Label() string { return k.must().label }

// Answer is the form of a resident's answer to a question of the kind.
func (k QuestionKind) Answer() AnswerForm { return k.must().answer }

// Scored reports whether a question of the kind counts towards the score (given
// correct options).
func (k QuestionKind) Scored() bool { return k.must().scored }

// HasOptions reports whether a question of the kind lists options (a scale's values
// are options too; free text has none).
func (k QuestionKind) HasOptions() bool { return k.must().maxOptions > 0 }

// MultiplePicks reports whether more than one option may be chosen.
func (k QuestionKind) MultiplePicks() bool { return k.must().multiple }

// Shuffles reports whether a shuffled quiz reorders the kind's options.
func (k QuestionKind) Shuffles() bool { return k.must().shuffles }

// OnPaper reports whether a paper sheet collects answers to the kind (free text could
// hold personal data and is not collected).
func (k QuestionKind) OnPaper() bool { return k.must().onPaper }

// ValueRange is the scale of an AnswerValue kind (1, 5 for likert); 0, 0 otherwise.
func (k QuestionKind) ValueRange() (lo, hi int) { r := k.must(); return r.minValue, r.maxValue }

// DefaultOptions are the options of a question of the kind written without any (nil
// when it has none).
func (k QuestionKind) DefaultOptions() []Option { return slices.Clone(k.must().defaults) }

// OptionID is the id of option i of count written options: "1"… on a scale, "t"/"f"
// for a true/false pair, else "a", "b"… and "o27"… beyond z.
func (k QuestionKind) OptionID(i, count int) string {
	r := k.must()
	switch {
	case r.numberedIDs:
		return strconv.Itoa(i + 1)
	case r.fixedIDs != nil && count == len(r.fixedIDs):
		return r.fixedIDs[i]
	case i < 26:
		return string(rune('a' + i))
	}
	return "o" + strconv.Itoa(i+1)
}

// CheckWrittenOptions checks the number of options an import row writes for the kind:
// "" when it fits, else a message for the row.
func (k QuestionKind) CheckWrittenOptions(n int) string {
	r, ok := k.rules()
	if !ok || (n == 0 && r.defaults != nil) || (n >= r.writtenMin && n <= r.writtenMax) {
		return ""
	}
	return r.writtenMessage
}

// checkOptions checks the number of a stored question's options.
func (k QuestionKind) checkOptions(n int) error {
	r := k.must()
	if n < r.minOptions || n > r.maxOptions {
		return apperr.Errorf(apperr.Validation, "%s", r.optionsMessage)
	}
	return nil
}

// checkKey checks the number of a scored question's correct options.
func (k QuestionKind) checkKey(n int) error {
	if n == 0 || (!k.MultiplePicks() && n != 1) {
		return apperr.Errorf(apperr.Validation, "single and true/false questions need exactly one correct option, multiple at least one")
	}
	return nil
}

// ParseKey reads an import row's correct cell for a scored kind: the 0-based indexes,
// among the written options, of the correct ones. cols are the written options' column
// numbers (option1 is 1); msg is a message for the row when the cell is wrong.
func (k QuestionKind) ParseKey(cell string, cols []int) (idx []int, msg string) {
	r := k.must()
	if r.keyWords != nil {
		i, ok := r.keyWords[strings.ToLower(cell)]
		if !ok {
			return []int{0}, fmt.Sprintf(r.keyMessage, cell)
		}
		return []int{i}, ""
	}
	bad := fmt.Sprintf("Đáp án %q không hợp lệ: ghi số thứ tự lựa chọn, ví dụ 2 hoặc 1,3", cell)
	for _, f := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, bad
		}
		i := slices.Index(cols, n)
		if i < 0 {
			return nil, fmt.Sprintf("Đáp án %d không có: lựa chọn %d để trống", n, n)
		}
		if slices.Contains(idx, i) {
			return nil, fmt.Sprintf("Đáp án %d ghi hai lần", n)
		}
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return nil, bad
	}
	if !r.multiple && len(idx) != 1 {
		return idx, fmt.Sprintf("Câu một đáp án (%s) chỉ có đúng 1 đáp án đúng", k)
	}
	return idx, ""
}

// BoxLetter is the box label of option i on paper: A, B, C…
func BoxLetter(i int) string { return string(rune('A' + i)) }

// ParseBox reads what a collector wrote for one question of a paper sheet in a file:
// a scale's value ("1".."5") or the ticked boxes' letters ("A", "A,C"; "Đ"/"S" for
// true/false). The answer is not yet canonical (CheckAnswers makes it so).
func (k QuestionKind) ParseBox(qu Question, v string) (Answer, error) {
	a := Answer{QuestionID: qu.ID}
	v = strings.ToUpper(strings.TrimSpace(v))
	r := k.must()
	switch {
	case !r.onPaper:
		return a, fmt.Errorf("Phiếu giấy không nhận câu trả lời tự luận")
	case r.answer == AnswerValue:
		n, err := strconv.Atoi(v)
		if err != nil || n < r.minValue || n > r.maxValue {
			return a, fmt.Errorf("Câu thang điểm cần một số từ %d đến %d, không phải %q", r.minValue, r.maxValue, v)
		}
		a.Value = n
		return a, nil
	}
	if w, ok := r.boxWords[v]; ok {
		v = w
	}
	for _, c := range strings.ReplaceAll(strings.ReplaceAll(v, ",", ""), " ", "") {
		i := int(c - 'A')
		if i < 0 || i >= len(qu.Options) {
			return a, fmt.Errorf("Ô %q không có trong câu này (chỉ có A–%s)", string(c), BoxLetter(len(qu.Options)-1))
		}
		if !slices.Contains(a.OptionIDs, qu.Options[i].ID) {
			a.OptionIDs = append(a.OptionIDs, qu.Options[i].ID)
		}
	}
	if !r.multiple && len(a.OptionIDs) > 1 {
		return a, fmt.Errorf("Câu này chỉ được đánh một ô, không phải %q", v)
	}
	return a, nil
}

// Canonical checks a resident's answer to qu and returns it in canonical form: sorted
// distinct option ids, a value on the scale, or trimmed free text.
func (k QuestionKind) Canonical(qu Question, ans Answer) (Answer, error) {
	clean := Answer{QuestionID: ans.QuestionID}
	r := k.must()
	switch r.answer {
	case AnswerOptions:
		if ans.Value != 0 || ans.Text != "" {
			return clean, apperr.Errorf(apperr.Validation, "Câu hỏi %q cần chọn phương án (optionIds)", ans.QuestionID)
		}
		ids := slices.Clone(ans.OptionIDs)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, id := range ids {
			if !qu.hasOption(id) {
				return clean, apperr.Errorf(apperr.Validation, "Phương án %q không thuộc câu hỏi %q", id, ans.QuestionID)
			}
		}
		if !r.multiple && len(ids) > 1 {
			return clean, apperr.Errorf(apperr.Validation, "Câu hỏi %q chỉ được chọn một phương án", ans.QuestionID)
		}
		clean.OptionIDs = ids
	case AnswerValue:
		if len(ans.OptionIDs) > 0 || ans.Text != "" || ans.Value < r.minValue || ans.Value > r.maxValue {
			return clean, apperr.Errorf(apperr.Validation, "Câu hỏi %q cần một giá trị (value) từ %d đến %d", ans.QuestionID, r.minValue, r.maxValue)
		}
		clean.Value = ans.Value
	case AnswerText:
		if len(ans.OptionIDs) > 0 || ans.Value != 0 {
			return clean, apperr.Errorf(apperr.Validation, "Câu hỏi %q cần câu trả lời dạng chữ (text)", ans.QuestionID)
		}
		text, err := usertext.Clean("Câu trả lời cho câu hỏi "+ans.QuestionID, ans.Text, true)
		if err != nil {
			return clean, err
		}
		if utf8.RuneCountInString(text) > MaxTextAnswer {
			return clean, apperr.Errorf(apperr.Validation, "Câu trả lời cho câu hỏi %q dài quá %d ký tự", ans.QuestionID, MaxTextAnswer)
		}
		clean.Text = strings.TrimSpace(text)
	}
	return clean, nil
}

// Grade grades a canonical answer to qu: scored says the question counts (a scored
// kind with correct options), correct that the answer is exactly the correct options
// (no partial credit) or the question is void, and key is the correct options sorted.
func (k QuestionKind) Grade(qu Question, a Answer) (scored, correct bool, key []string) {
	if !k.Scored() || len(qu.CorrectOptionIDs) == 0 {
		return false, false, nil
	}
	key = slices.Clone(qu.CorrectOptionIDs)
	slices.Sort(key)
	return true, qu.Void || slices.Equal(a.OptionIDs, key), key
}

package main

import (
	"reflect"

	"github.com/invopop/jsonschema"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/paper"
	"github.com/nq58/tracker/internal/paper/sheets"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/retention"
	randsample "github.com/nq58/tracker/internal/sample"
	"github.com/nq58/tracker/internal/sample/samples"
	"github.com/nq58/tracker/internal/staffadminapi"
	"github.com/nq58/tracker/internal/staffapi"
	"github.com/nq58/tracker/internal/staffdir"
	"github.com/nq58/tracker/internal/units"
)

// The registry: every schema of components.schemas that is a Go type, by the name the
// paths refer to, and the type the handler decodes (in) or encodes (out). Adding a type is
// one line here and `go generate ./api`.
//
// A request body's fields are required only where their struct tag says
// `jsonschema:"required"` (the decoder does not require the others); an answer's are
// required unless omitempty or omitzero, as encoding/json always writes them.
var registry = []entry{
	in[activity.Activity]("ActivityRequest"),
	in[attempts.StartRequest]("StartRequest"),
	in[attempts.SubmitRequest]("SubmitRequest"),
	in[authoring.CorrectionInput]("CorrectionRequest"),
	in[authoring.QuizInput]("QuizInput"),
	in[phoneverify.ConfirmRequest]("ConfirmRequest"),
	in[phoneverify.VerificationRequest]("VerificationRequest"),
	in[sheets.CorrectionRequest]("SheetCorrectionRequest"),
	in[sheets.EntryRequest]("SheetEntryRequest"),
	in[sheets.PrintRequest]("PrintRequest"),
	in[staffapi.DisqualifyRequest]("DisqualifyRequest"),
	in[staffdir.Invitation]("Invitation"),
	in[samples.CreateRequest]("SampleCreateRequest"),
	in[samples.DrawRequest]("SampleDrawRequest"),
	in[samples.OutcomeRequest]("SampleOutcomeRequest"),
	in[samples.ResponseRequest]("SampleResponseRequest"),

	out[activity.Activity]("Activity"),
	out[attempts.QuizzesResponse]("Quizzes"),
	out[attempts.Result]("Result"),
	out[attempts.StartResponse]("StartResponse"),
	out[attempts.UnitsResponse]("Units"),
	out[authoring.CorrectionResult]("CorrectionResult"),
	out[authoring.ImportResult]("ImportResult"),
	out[contest.Decision]("Decision"),
	out[phoneverify.ConfirmResponse]("PhoneToken"),
	out[phoneverify.VerificationResponse]("Verification"),
	out[quiz.Quiz]("Quiz"),
	out[quiz.RegradeJob]("RegradeJob"),
	out[report.Awareness]("Awareness"),
	out[report.Change]("Change"),
	out[report.SampleSizes]("SampleSizes"),
	out[staffapi.MethodsAnswer]("MethodsNote"),
	out[report.Questions]("QuestionsReport"),
	out[report.Survey]("SurveyReport"),
	out[report.Topics]("TopicsReport"),
	out[report.Trend]("TrendReport"),
	out[retention.PurgeResult]("PurgeResult"),
	out[rounds.CloseResult]("CloseResult"),
	out[rounds.PublicResults]("PublicResults"),
	out[rounds.RankingPage]("RankingPage"),
	out[rounds.WinnersReport]("WinnersReport"),
	out[sheets.CorrectionResult]("SheetCorrectionResult"),
	out[sheets.EntryResult]("SheetEntryResult"),
	out[sheets.PrintView]("PrintView"),
	out[sheets.Progress]("SheetProgress"),
	out[sheets.SheetView]("SheetView"),
	out[sheets.UploadResult]("UploadResult"),
	out[staffadminapi.StaffList]("StaffList"),
	out[staffapi.ActivityList]("ActivityList"),
	out[staffapi.EntryPage]("EntryPage"),
	out[staffapi.FlagList]("FlagList"),
	out[staffapi.Me]("Me"),
	out[staffapi.QuizList]("QuizList"),
	out[staffapi.QuizStatus]("QuizStatus"),
	out[staffdir.Member]("Member"),
	out[samples.List]("SampleList"),
	out[samples.View]("SampleView"),
	out[samples.FrameResult]("SampleFrame"),
	out[randsample.Code]("SampleCode"),
	out[samples.SheetsView]("SampleSheets"),
	out[samples.ResponseResult]("SampleResponseResult"),
	out[samples.Report]("SampleReport"),
}

// scalars are the strings the paths' parameters refer to (ids, months, cursors), with
// the pattern the code checks them against.
var scalars = []scalar{
	{"Cursor", &jsonschema.Schema{Type: "string", Pattern: contest.CursorPattern, MaxLength: ptr(uint64(contest.MaxCursorLength)),
		Description: "An opaque page cursor, as the previous page gave it"}},
	{"GroupBy", &jsonschema.Schema{Type: "string", Enum: anys(report.GroupBys), Default: report.GroupBys[0]}},
	{"Period", &jsonschema.Schema{Type: "string", Enum: anys(report.Periods), Default: report.Periods[0]}},
	{"Month", &jsonschema.Schema{Type: "string", Pattern: report.MonthPattern, Description: "A month, YYYY-MM"}},
	{"RoundId", &jsonschema.Schema{Type: "string", Pattern: contest.RoundIDPattern}},
	{"UnitId", &jsonschema.Schema{Type: "string", Pattern: units.IDPattern}},
	{"VerificationId", &jsonschema.Schema{Type: "string", Pattern: phoneverify.VerificationIDPattern}},
}

// enums are the types whose values are a list in code, each a schema of its own (its
// name here) so the description cannot allow what the code refuses, or the reverse.
var enums = map[reflect.Type]enum{
	reflect.TypeFor[auth.Action]():        {"Action", func() []any { return anys(auth.Actions()) }},
	reflect.TypeFor[auth.Role]():          {"Role", func() []any { return anys(auth.Roles()) }},
	reflect.TypeFor[quiz.QuestionKind]():  {"QuestionKind", func() []any { return anys(quiz.QuestionKinds()) }},
	reflect.TypeFor[quiz.Kind]():          {"Kind", func() []any { return anys(quiz.Kinds()) }},
	reflect.TypeFor[quiz.Status]():        {"Status", func() []any { return anys(quiz.Statuses()) }},
	reflect.TypeFor[randsample.Outcome](): {"Outcome", func() []any { return anys(randsample.Outcomes) }},
}

// fieldEnums are the allowed values of plain string fields (of a list's items) whose
// values are a list in code.
var fieldEnums = map[fieldKey]func() []any{
	fieldOf[activity.Activity]("type"): func() []any {
		var out []any
		for _, t := range activity.Types {
			out = append(out, t.Code)
		}
		return out
	},
	fieldOf[activity.Activity]("topics"):       func() []any { return anys(quiz.Topics) },
	fieldOf[authoring.QuestionInput]("topic"):  func() []any { return append([]any{""}, anys(quiz.Topics)...) }, // "": an unscored question
	fieldOf[sheets.EntryRequest]("channel"):    func() []any { return anys(quiz.Channels[1:]) },                 // not web: sheets are paper or assisted
	fieldOf[authoring.QuizInput]("kind"):       func() []any { return anys(quiz.Kinds()) },
	fieldOf[report.Awareness]("groupBy"):       func() []any { return anys(report.GroupBys) },
	fieldOf[report.Trend]("period"):            func() []any { return anys(report.Periods) },
	fieldOf[sheets.PrintRequest]("variant"):    func() []any { return append([]any{""}, anys(paper.Variants)...) }, // "": full
	fieldOf[samples.OutcomeRequest]("outcome"): func() []any { return anys(randsample.Outcomes) },
}

// fixes adjust a generated schema where the encoding is not the struct's fields alone.
var fixes = map[string]func(*jsonschema.Schema){
	// A sealed contest entry is answered with its receipt only (attempts.Result's
	// MarshalJSON): the graded fields may be absent.
	"Result": func(s *jsonschema.Schema) {
		s.Required = []string{"attemptId", "submittedAt"}
		s.Description += " A sealed contest entry (its round's results not frozen yet) is answered with attemptId, submittedAt, receipt, the round, the prediction and ranked only."
	},
}

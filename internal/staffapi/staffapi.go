// Package staffapi adapts the staff routes (reports, activity log, authoring, imports,
// contest rounds) to API Gateway HTTP API events. API Gateway's JWT authorizer has
// verified the token; handlers read only the claims.
package staffapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/paper/sheets"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/retention"
	"github.com/nq58/tracker/internal/sample/samples"
)

// MaxImportBody is the largest import file accepted (API Gateway allows 10 MB).
const MaxImportBody = 5 << 20

// Handler serves the staff routes.
type Handler struct {
	reports   *report.Service
	authoring *authoring.Service
	rounds    *rounds.Service
	retention *retention.Service
	sheets    *sheets.Service
	samples   *samples.Service
	*apigw.Router
}

// New returns the staff API handler.
func New(reports *report.Service, authoringSvc *authoring.Service, roundsSvc *rounds.Service, retentionSvc *retention.Service, sheetsSvc *sheets.Service, log *slog.Logger) *Handler {
	h := &Handler{reports: reports, authoring: authoringSvc, rounds: roundsSvc, retention: retentionSvc, sheets: sheetsSvc}
	routes := map[string]apigw.StaffRoute{
		"GET /v1/admin/me":                                                  h.me,
		"GET /v1/reports/awareness":                                         h.awareness,
		"GET /v1/reports/topics":                                            h.topics,
		"GET /v1/reports/questions":                                         h.questions,
		"GET /v1/reports/survey":                                            h.survey,
		"GET /v1/reports/trend":                                             h.trend,
		"GET /v1/reports/annual":                                            h.annual,
		"GET /v1/reports/change":                                            h.change,
		"GET /v1/reports/sample-size":                                       h.sampleSize,
		"GET /v1/reports/methods":                                           h.methods,
		"POST /v1/activities":                                               h.createActivity,
		"GET /v1/activities":                                                h.listActivities,
		"GET /v1/admin/quizzes":                                             h.listQuizzes,
		"POST /v1/admin/quizzes":                                            h.createQuiz,
		"GET /v1/admin/quizzes/{quizId}":                                    h.getQuiz,
		"PUT /v1/admin/quizzes/{quizId}":                                    h.updateQuiz,
		"POST /v1/admin/quizzes/{quizId}/publish":                           h.publishQuiz,
		"POST /v1/admin/quizzes/{quizId}/close":                             h.closeQuiz,
		"POST /v1/admin/imports/questions":                                  h.importQuestions,
		"POST /v1/admin/imports/units":                                      h.importUnits,
		"POST /v1/admin/contests/{quizId}/rounds/{roundId}/close":           h.closeRound,
		"POST /v1/admin/quizzes/{quizId}/questions/{questionId}/correction": h.correctQuestion,
		"GET /v1/admin/quizzes/{quizId}/regrade-jobs/{jobId}":               h.regradeJob,
		"POST /v1/admin/quizzes/{quizId}/purge-personal-data":               h.purgePersonalData,
		"GET /v1/admin/contests/{quizId}/rounds/{roundId}/ranking":          h.roundRanking,
		"GET /v1/admin/contests/{quizId}/rounds/{roundId}/winners":          h.roundWinners,
		"GET /v1/admin/contests/{quizId}/rounds/{roundId}/entries":          h.roundEntries,
		"GET /v1/admin/contests/{quizId}/rounds/{roundId}/flags":            h.roundFlags,
		"POST /v1/admin/contests/{quizId}/entries/{entryId}/disqualify":     h.disqualify,
		"POST /v1/admin/contests/{quizId}/entries/{entryId}/keep":           h.keep,
	}
	maps.Copy(routes, h.paperRoutes())
	maps.Copy(routes, h.sampleRoutes())
	h.Router = apigw.NewStaffRouter(log, routes)
	return h
}

// rawResponse is a response a route built itself (a file with extra headers).
type rawResponse events.APIGatewayV2HTTPResponse

// Response answers the response as built.
func (r rawResponse) Response() events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse(r)
}

// file is a download: CSV, XLSX or a printable HTML page.
type file struct {
	name        string
	contentType string
	body        []byte
}

// Response answers the file as a download.
func (f file) Response() events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: http.StatusOK,
		Headers: map[string]string{
			"Content-Type":           f.contentType,
			"Content-Disposition":    `attachment; filename="` + asciiName(f.name) + `"; filename*=UTF-8''` + url.PathEscape(f.name),
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body:            base64.StdEncoding.EncodeToString(f.body),
		IsBase64Encoded: true,
	}
}

func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && r != '"' && r != '\\' {
			return r
		}
		return '_'
	}, name)
}

const (
	contentCSV  = "text/csv; charset=utf-8"
	contentXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	contentHTML = "text/html; charset=utf-8"
)

// tables answers a report as JSON, or as CSV (the first table) or XLSX (every table).
func tables(req events.APIGatewayV2HTTPRequest, name string, body any, ts func() []export.Table) (int, any, error) {
	switch format := req.QueryStringParameters["format"]; format {
	case "", "json":
		return http.StatusOK, body, nil
	case "csv":
		var b bytes.Buffer
		all := ts()
		if len(all) == 0 {
			return 0, nil, apperr.Errorf(apperr.NotFound, "Báo cáo không có bảng nào")
		}
		if err := export.CSV(&b, all[0]); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, file{name: name + ".csv", contentType: contentCSV, body: b.Bytes()}, nil
	case "xlsx":
		var b bytes.Buffer
		if err := export.XLSX(&b, ts()...); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, file{name: name + ".xlsx", contentType: contentXLSX, body: b.Bytes()}, nil
	default:
		return 0, nil, apperr.Errorf(apperr.Validation, "format phải là json, csv hoặc xlsx")
	}
}

func query(req events.APIGatewayV2HTTPRequest) (report.Query, error) {
	p := req.QueryStringParameters
	q := report.Query{QuizID: p["quizId"], UnitID: p["unitId"], From: p["from"], To: p["to"]}
	var err error
	q.MinGroup, err = intParam(p, "minGroup")
	return q, err
}

// intParam reads an optional integer query parameter (0 when absent). A value that is not
// an integer is refused rather than read as 0, as api/openapi.yaml describes it: a client
// that sends minGroup=abc learns of its mistake instead of getting a default report.
func intParam(p map[string]string, name string) (int, error) {
	v, ok := p[name]
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, apperr.Errorf(apperr.Validation, "%s phải là một số nguyên, không phải %q", name, v)
	}
	return n, nil
}

// Me is GET /v1/admin/me's answer.
type Me struct {
	auth.Staff
	Can []auth.Action `json:"can"`
}

// me is the signed-in staff member with what the policy lets them do (auth.Abilities),
// which the pages read instead of deciding by role names.
func (h *Handler) me(_ context.Context, s auth.Staff, _ events.APIGatewayV2HTTPRequest) (int, any, error) {
	return http.StatusOK, Me{s, auth.Abilities(s)}, nil
}

func (h *Handler) awareness(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	if req.QueryStringParameters["sampleId"] != "" {
		return h.sampleReport(ctx, s, req)
	}
	q, err := query(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.reports.Awareness(ctx, s, report.AwarenessQuery{Query: q, GroupBy: req.QueryStringParameters["groupBy"]})
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "nhan-thuc-"+r.UnitID, r, r.Tables)
}

func (h *Handler) topics(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := query(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.reports.Topics(ctx, s, q)
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "chu-de-"+r.UnitID, r, r.Tables)
}

func (h *Handler) questions(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := query(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.reports.Questions(ctx, s, q.QuizID, q.MinGroup)
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "cau-hoi-"+r.QuizID, r, r.Tables)
}

func (h *Handler) survey(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := query(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.reports.Survey(ctx, s, q)
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "khao-sat-"+r.UnitID, r, r.Tables)
}

func (h *Handler) trend(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := query(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.reports.Trend(ctx, s, q, req.QueryStringParameters["period"])
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "xu-huong-"+r.UnitID, r, r.Tables)
}

func (h *Handler) change(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	p := req.QueryStringParameters
	minGroup, err := intParam(p, "minGroup")
	if err != nil {
		return 0, nil, err
	}
	r, err := h.reports.Change(ctx, s, report.ChangeQuery{QuizID: p["quizId"], BaseQuizID: p["baseQuizId"], UnitID: p["unitId"], MinGroup: minGroup})
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "thay-doi-"+r.UnitID, r, r.Tables)
}

func (h *Handler) sampleSize(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var margin float64
	if v := req.QueryStringParameters["marginOfError"]; v != "" {
		var err error
		if margin, err = strconv.ParseFloat(v, 64); err != nil || margin == 0 {
			return 0, nil, apperr.Errorf(apperr.Validation, "Sai số (marginOfError) phải là một số điểm phần trăm, ví dụ 5, không phải %q", v)
		}
	}
	r, err := h.reports.SampleSizes(ctx, s, req.QueryStringParameters["unitId"], margin)
	return http.StatusOK, r, err
}

// MethodsAnswer is the methods note (report.MethodsNote), the text of the workbook's sheet
// "Phương pháp", for the report page's "Cách tính".
type MethodsAnswer struct {
	Rows []report.MethodsRow `json:"rows"`
}

func (h *Handler) methods(context.Context, auth.Staff, events.APIGatewayV2HTTPRequest) (int, any, error) {
	return http.StatusOK, MethodsAnswer{Rows: report.MethodsRows()}, nil
}

func (h *Handler) annual(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	p := req.QueryStringParameters
	year, err := strconv.Atoi(p["year"])
	if err != nil {
		return 0, nil, apperr.Errorf(apperr.Validation, "Cần năm đánh giá (year), ví dụ 2026")
	}
	r, err := h.reports.Annual(ctx, s, p["unitId"], year, p["baseQuizId"])
	if err != nil {
		return 0, nil, err
	}
	name := "danh-gia-" + r.UnitID + "-" + strconv.Itoa(year)
	switch p["format"] {
	case "html":
		var b bytes.Buffer
		if err := r.HTML(&b); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, file{name: name + ".html", contentType: contentHTML, body: b.Bytes()}, nil
	case "", "xlsx":
		var b bytes.Buffer
		if err := export.XLSX(&b, r.Tables()...); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, file{name: name + ".xlsx", contentType: contentXLSX, body: b.Bytes()}, nil
	default:
		return 0, nil, apperr.Errorf(apperr.Validation, "format phải là xlsx hoặc html")
	}
}

func (h *Handler) createActivity(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in activity.Activity
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	a, err := h.reports.CreateActivity(ctx, s, in)
	return http.StatusCreated, a, err
}

// ActivityList is GET /v1/activities's JSON answer.
type ActivityList struct {
	Activities []activity.Activity `json:"activities"`
}

func (h *Handler) listActivities(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	p := req.QueryStringParameters
	list, err := h.reports.ListActivities(ctx, s, p["unitId"], p["from"], p["to"])
	if err != nil {
		return 0, nil, err
	}
	if list == nil {
		list = []activity.Activity{}
	}
	// The files name each unit beside its code; the JSON, which the page names itself,
	// does not need the unit tree.
	var names map[string]string
	if f := p["format"]; f != "" && f != "json" {
		if names, err = h.reports.UnitNames(ctx); err != nil {
			return 0, nil, err
		}
	}
	body := ActivityList{Activities: list}
	return tables(req, "hoat-dong", body, func() []export.Table { return []export.Table{report.ActivitiesTable(list, names)} })
}

// QuizList is GET /v1/admin/quizzes's answer.
type QuizList struct {
	Quizzes []quiz.Quiz `json:"quizzes"`
}

// QuizStatus answers a quiz's creation, publication and closing: its id and new status.
type QuizStatus struct {
	ID     string      `json:"id"`
	Status quiz.Status `json:"status"`
}

func (h *Handler) listQuizzes(ctx context.Context, s auth.Staff, _ events.APIGatewayV2HTTPRequest) (int, any, error) {
	list, err := h.authoring.List(ctx, s)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, QuizList{Quizzes: list}, nil
}

func (h *Handler) createQuiz(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in authoring.QuizInput
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	q, err := h.authoring.Create(ctx, s, in)
	return http.StatusCreated, QuizStatus{ID: q.ID, Status: q.Status}, err
}

func (h *Handler) getQuiz(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := h.authoring.Get(ctx, s, req.PathParameters["quizId"])
	return http.StatusOK, q, err
}

func (h *Handler) updateQuiz(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in authoring.QuizInput
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	q, err := h.authoring.Update(ctx, s, req.PathParameters["quizId"], in)
	return http.StatusOK, q, err
}

func (h *Handler) publishQuiz(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := h.authoring.Publish(ctx, s, req.PathParameters["quizId"])
	return http.StatusOK, QuizStatus{ID: q.ID, Status: q.Status}, err
}

func (h *Handler) closeQuiz(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	q, err := h.authoring.Close(ctx, s, req.PathParameters["quizId"])
	return http.StatusOK, QuizStatus{ID: q.ID, Status: q.Status}, err
}

// rawBody returns an upload's bytes (API Gateway base64-encodes binary bodies).
func rawBody(req events.APIGatewayV2HTTPRequest) ([]byte, error) {
	b := []byte(req.Body)
	if req.IsBase64Encoded {
		d, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "Tệp tải lên không đọc được")
		}
		b = d
	}
	if len(b) > MaxImportBody {
		return nil, apperr.Errorf(apperr.TooLarge, "Tệp quá lớn (tối đa %d MB)", MaxImportBody>>20)
	}
	return b, nil
}

func (h *Handler) importQuestions(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	b, err := rawBody(req)
	if err != nil {
		return 0, nil, err
	}
	p := req.QueryStringParameters
	if p["quizId"] == "" { // no draft yet: the file is read and its questions given back
		r, err := h.authoring.ReadQuestions(ctx, s, quiz.Kind(p["kind"]), req.Headers["content-type"], b)
		return importResult(r, err)
	}
	r, err := h.authoring.ImportQuestions(ctx, s, p["quizId"], req.Headers["content-type"], b)
	return importResult(r, err)
}

func (h *Handler) importUnits(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	b, err := rawBody(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.authoring.ImportUnits(ctx, s, req.Headers["content-type"], b)
	return importResult(r, err)
}

// importResult answers an import with its row errors when it was refused.
func importResult(r authoring.ImportResult, err error) (int, any, error) {
	if err != nil && len(r.Errors) > 0 {
		return http.StatusUnprocessableEntity, rowErrors(err, r.Errors), nil
	}
	return http.StatusOK, r, err
}

func (h *Handler) closeRound(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.rounds.CloseRound(ctx, s, req.PathParameters["quizId"], req.PathParameters["roundId"])
	return http.StatusOK, r, err
}

func (h *Handler) roundRanking(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	p := req.QueryStringParameters
	limit, err := intParam(p, "limit")
	if err != nil {
		return 0, nil, err
	}
	r, err := h.rounds.Ranking(ctx, s, req.PathParameters["quizId"], req.PathParameters["roundId"], limit, p["cursor"])
	return http.StatusOK, r, err
}

func (h *Handler) roundWinners(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.rounds.Winners(ctx, s, req.PathParameters["quizId"], req.PathParameters["roundId"])
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "giai-thuong-"+r.QuizID+"-"+r.RoundID, r, r.Tables)
}

// EntryPage is a JSON page of a round's entries; NextCursor is empty on the last.
type EntryPage struct {
	Entries    []rounds.EntryRow `json:"entries"`
	NextCursor string            `json:"nextCursor"`
}

func (h *Handler) roundEntries(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	p := req.QueryStringParameters
	page, err := h.rounds.Entries(ctx, s, req.PathParameters["quizId"], req.PathParameters["roundId"], p["cursor"])
	if err != nil {
		return 0, nil, err
	}
	switch p["format"] {
	case "", "json":
		return http.StatusOK, EntryPage{Entries: rounds.EntryRows(page.Entries), NextCursor: page.NextCursor}, nil
	case "csv": // the page of the file, below
	default:
		return 0, nil, apperr.Errorf(apperr.Validation, "format phải là json hoặc csv")
	}
	var b bytes.Buffer
	t := rounds.EntriesTable(page.Entries, page.RoundName, page.UnitNames)
	if p["cursor"] != "" { // later pages append to the file the page assembles: no header, no BOM
		t.Header = nil
	}
	if err := export.CSVRows(&b, t, p["cursor"] == ""); err != nil {
		return 0, nil, err
	}
	f := file{name: "bai-du-thi-" + req.PathParameters["roundId"] + ".csv", contentType: contentCSV, body: b.Bytes()}
	resp := f.Response()
	resp.Headers["X-Next-Cursor"] = page.NextCursor
	return http.StatusOK, rawResponse(resp), nil
}

// FlagList is a round's entries flagged for review.
type FlagList struct {
	Flags []rounds.Flag `json:"flags"`
}

func (h *Handler) roundFlags(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	flags, err := h.rounds.Flags(ctx, s, req.PathParameters["quizId"], req.PathParameters["roundId"])
	return http.StatusOK, FlagList{Flags: flags}, err
}

// DisqualifyRequest is the reason an entry is disqualified or kept, recorded for the audit.
type DisqualifyRequest struct {
	Reason string `json:"reason" jsonschema:"required,minLength=1,maxLength=500"`
}

func (h *Handler) disqualify(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in DisqualifyRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	d, err := h.rounds.Disqualify(ctx, s, req.PathParameters["quizId"], req.PathParameters["entryId"], in.Reason)
	return http.StatusOK, d, err
}

func (h *Handler) keep(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in DisqualifyRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	d, err := h.rounds.Keep(ctx, s, req.PathParameters["quizId"], req.PathParameters["entryId"], in.Reason)
	return http.StatusOK, d, err
}

func (h *Handler) correctQuestion(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in authoring.CorrectionInput
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	r, err := h.authoring.Correct(ctx, s, req.PathParameters["quizId"], req.PathParameters["questionId"], in)
	// Accepted: the key is changed, the regrade runs as a job (GET its progress).
	return http.StatusAccepted, r, err
}

func (h *Handler) regradeJob(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	j, err := h.authoring.RegradeJob(ctx, s, req.PathParameters["quizId"], req.PathParameters["jobId"])
	return http.StatusOK, j, err
}

func (h *Handler) purgePersonalData(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.retention.PurgePersonalData(ctx, s, req.PathParameters["quizId"])
	return http.StatusOK, r, err
}

// FileRefusal is a refused file's answer (422): the error, as every error answer, and
// the file's errors by row and column (the Error schema's `rows`).
type FileRefusal struct {
	Error struct {
		Code    apperr.Code `json:"code"`
		Message string      `json:"message"`
	} `json:"error"`
	Rows []authoring.RowError `json:"rows"`
}

func rowErrors(err error, rows []authoring.RowError) FileRefusal {
	var r FileRefusal
	r.Error.Code, r.Error.Message, r.Rows = apperr.CodeOf(err), apperr.MessageOf(err), rows
	return r
}

package samples

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/paper"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/sample"
)

// Sheet is one sheet to print: a drawn code, in its village's visit order.
type Sheet struct {
	Code     string `json:"code"`
	UnitID   string `json:"unitId"`
	UnitName string `json:"unitName"`
	Order    int    `json:"order"`
}

// SheetsView answers GET /v1/admin/samples/{sampleId}/sheets: one sheet per drawn code,
// each carrying it, with the sample's one fixed draw of questions.
type SheetsView struct {
	SampleID  string                  `json:"sampleId"`
	QuizTitle string                  `json:"quizTitle"`
	UnitName  string                  `json:"unitName"`
	Label     string                  `json:"label"`
	Questions []paper.PrintedQuestion `json:"questions"`
	Sheets    []Sheet                 `json:"sheets"`
}

// sheetDraw is the sample's one fixed draw of questions: every sheet of a sample asks the
// same questions in the same order. Its seed is the first 8 bytes (big-endian) of
// SHA-256("nq58-sample-sheet\x00" + sampleId), for quiz.Draw.
func sheetDraw(q quiz.Quiz, sampleID string) quiz.Attempt {
	h := sha256.Sum256([]byte("nq58-sample-sheet\x00" + sampleID))
	a := quiz.Attempt{Seed: binary.BigEndian.Uint64(h[:8])}
	for _, qu := range quiz.Draw(q, a.Seed) {
		a.QuestionIDs = append(a.QuestionIDs, qu.ID)
	}
	return a
}

// Sheets lists a drawn sample's sheets (of one village when unitID is given).
func (s *Service) Sheets(ctx context.Context, staff auth.Staff, id, unitID string) (SheetsView, error) {
	sm, q, tree, err := s.load(ctx, staff, id)
	if err != nil {
		return SheetsView{}, err
	}
	if !sm.Drawn() {
		return SheetsView{}, apperr.Errorf(apperr.Validation, "Mẫu chưa rút thăm: chưa có mã để in phiếu")
	}
	codes, err := s.store.SampleCodes(ctx, id)
	if err != nil {
		return SheetsView{}, err
	}
	u, _ := tree.Get(sm.UnitID)
	v := SheetsView{SampleID: sm.ID, QuizTitle: q.Title, UnitName: u.Name, Label: Label, Sheets: []Sheet{}}
	draw := sheetDraw(q, sm.ID)
	v.Questions = paper.Printed(quiz.AttemptQuestions(q, draw))
	for _, vil := range villages(tree, sm, codes) {
		if unitID != "" && vil.UnitID != unitID {
			continue
		}
		for _, c := range vil.Codes {
			v.Sheets = append(v.Sheets, Sheet{Code: c.Code, UnitID: c.UnitID, UnitName: vil.Name, Order: c.Order})
		}
	}
	return v, nil
}

// ResponseRequest is the body of PUT /v1/admin/samples/{sampleId}/responses/{code}:
// what the drawn person ticked on the sample's sheet.
type ResponseRequest struct {
	Answers []quiz.Answer `json:"answers"`
}

// ResponseResult answers an entered sample sheet.
type ResponseResult struct {
	Code     string          `json:"code"`
	Channel  string          `json:"channel"`
	Score    int             `json:"score"`
	MaxScore int             `json:"maxScore"`
	Response sample.Response `json:"response"`
}

// EnterResponse grades a sample's sheet with the rules of every sheet (paper.Complete)
// and keeps it as the drawn code's response, once: it writes no attempt, so the open
// quiz's counters and figures never see it. A code with an outcome or a response
// already is a Conflict.
func (s *Service) EnterResponse(ctx context.Context, staff auth.Staff, id, code string, in ResponseRequest) (ResponseResult, error) {
	sm, q, _, err := s.load(ctx, staff, id)
	if err != nil {
		return ResponseResult{}, err
	}
	if !sm.Drawn() {
		return ResponseResult{}, apperr.Errorf(apperr.Validation, "Mẫu chưa rút thăm")
	}
	code = strings.TrimSpace(code)
	if !sample.ValidCode(code) {
		return ResponseResult{}, apperr.Errorf(apperr.Validation, "Mã %q không hợp lệ", code)
	}
	a := sheetDraw(q, sm.ID)
	a.ID, a.QuizID, a.QuizKind, a.Channel = "sample-"+sm.ID+"-"+code, q.ID, q.Kind, quiz.ChannelSample
	now := s.now().UTC()
	if err := paper.Complete(&a, q, in.Answers, now); err != nil {
		return ResponseResult{}, err
	}
	r := sample.Response{Scored: a.MaxScore > 0, Score: a.ScorePercent(), Passed: a.Passed(), EnteredAt: now}
	if err := s.store.SetSampleResponse(ctx, id, code, r); err != nil {
		return ResponseResult{}, err
	}
	return ResponseResult{Code: code, Channel: quiz.ChannelSample, Score: a.Score, MaxScore: a.MaxScore, Response: r}, nil
}

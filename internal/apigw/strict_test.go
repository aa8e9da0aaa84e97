package apigw_test

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz/attempts"
)

func TestABodyIsDecodedOnlyAsItsFieldsSpellThem(t *testing.T) {
	cases := []struct {
		name string
		body string
		ok   bool
	}{
		{"a body spelled as the fields are is read", `{"consent":true,"participant":{"unitId":"x","name":"An"},"clientId":"d"}`, true},
		{"a key in another case than its field is refused", `{"consent":false,"CONSENT":true}`, false},
		{"a lone key in another case is refused too", `{"Consent":true}`, false},
		{"a nested key in another case is refused", `{"participant":{"UnitId":"x"}}`, false},
		{"a repeated key is refused", `{"consent":false,"consent":true}`, false},
		{"a repeated nested key is refused", `{"participant":{"name":"An","name":"Bình"}}`, false},
		{"an unknown field is refused", `{"consentGiven":true}`, false},
		{"invalid UTF-8 is refused, not replaced", "{\"clientId\":\"d\xff\"}", false},
		{"malformed JSON is refused", `{"consent":`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got attempts.StartRequest
			err := apigw.Decode(events.APIGatewayV2HTTPRequest{Body: c.body}, &got)
			if c.ok {
				if err != nil {
					t.Fatalf("Decode(%s) = %v, want it read", c.body, err)
				}
				return
			}
			if err == nil || apperr.CodeOf(err) != apperr.Invalid || apigw.StatusOf(err) != 400 {
				t.Fatalf("Decode(%s) = %v, want 400 invalid", c.body, err)
			}
			if got.Consent {
				t.Errorf("Decode(%s) gave consent on a refused body", c.body)
			}
		})
	}
}

func TestRepeatedKeysAreRefusedInsideMapsAndListsToo(t *testing.T) {
	var v struct {
		Answers []map[string]any `json:"answers"`
	}
	body := `{"answers":[{"questionId":"q1","questionId":"q2"}]}`
	if err := apigw.Decode(events.APIGatewayV2HTTPRequest{Body: body}, &v); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("Decode(%s) = %v, want 400 invalid", body, err)
	}
}

package quiz

import (
	"golang.org/x/text/unicode/norm"
)

// InNFC returns q with its title, description, questions and options in NFC, the form
// usertext.Clean gives, so authored text has one spelling as residents' text does. It copies
// the questions it changes and leaves the caller's quiz as it was.
func (q Quiz) InNFC() Quiz {
	q.Title, q.Description = norm.NFC.String(q.Title), norm.NFC.String(q.Description)
	qs := make([]Question, len(q.Questions))
	for i, qu := range q.Questions {
		qu.Text = norm.NFC.String(qu.Text)
		opts := make([]Option, len(qu.Options))
		for j, o := range qu.Options {
			o.Text = norm.NFC.String(o.Text)
			opts[j] = o
		}
		if qu.Options == nil {
			opts = nil
		}
		qu.Options = opts
		qs[i] = qu
	}
	if q.Questions == nil {
		qs = nil
	}
	q.Questions = qs
	return q
}

package apigw

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
)

// errSyntax stops the key check at malformed JSON; Decode's own decoding then reports it.
var errSyntax = errors.New("json syntax")

// checkKeys walks a JSON body beside the type it is decoded into and refuses what
// encoding/json lets through: a key repeated in one object (the last would win, so
// {"consent":false,"consent":true} would consent) and a key that matches a field only
// when case is ignored (encoding/json matches "CONSENT" to consent). Objects of maps
// and of unknown types are checked for repeated keys too.
func checkKeys(raw []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	err := walkValue(dec, t)
	if errors.Is(err, errSyntax) {
		return nil
	}
	return err
}

func walkValue(dec *json.Decoder, t reflect.Type) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return errSyntax
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, t)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for dec.More() {
			if err := walkValue(dec, elem); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return errSyntax
		}
	}
	return nil
}

func walkObject(dec *json.Decoder, t reflect.Type) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil && !reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		switch t.Kind() {
		case reflect.Struct:
			fields = map[string]reflect.Type{}
			jsonFields(t, fields)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errSyntax
		}
		key, ok := tok.(string)
		if !ok {
			return errSyntax
		}
		if seen[key] {
			return apperr.Errorf(apperr.Invalid, "Trường %q xuất hiện hai lần", key)
		}
		seen[key] = true
		next := elem
		if fields != nil {
			ft, exact := fields[key]
			if !exact {
				for name := range fields {
					if strings.EqualFold(name, key) {
						return apperr.Errorf(apperr.Invalid, "Trường %q phải viết là %q (phân biệt chữ hoa, chữ thường)", key, name)
					}
				}
			}
			next = ft // nil for an unknown field: Decode refuses it
		}
		if err := walkValue(dec, next); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return errSyntax
	}
	return nil
}

// jsonFields collects a struct's JSON names as encoding/json sees them: the tag's name or
// the field's, promoted fields of embedded structs, no "-" or unexported fields.
func jsonFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			jsonFields(ft, into)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := into[name]; !taken {
			into[name] = f.Type
		}
	}
}

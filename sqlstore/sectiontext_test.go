package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/alongside-recovery/alongside"
)

// The fast reading of a section's texts must agree with encoding/json on
// everything: what json.Marshal writes, and whatever else a stored row
// might hold.
func FuzzDecodeSectionText(f *testing.F) {
	for _, t := range []alongside.SectionText{
		{},
		{"title": "Walk to the park", "status": "working"},
		{"about": "Line one\nline two\t\"quoted\" \\ back <b>&</b>", "é": "café ☕ 😀"},
		{"odd": "\u0001\u2028\u2029\ufffd", "html": "me & my dog <3"},
	} {
		b, _ := json.Marshal(t)
		if _, ok := decodeFlatObject(string(b)); !ok {
			f.Fatalf("%s, as json.Marshal wrote it, was not read directly", b)
		}
		f.Add(string(b))
	}
	for _, s := range []string{``, `{`, `{"a":1}`, `{"a":"b",}`, `{"a":"b"} x`, ` { "a" : "\/\b\f\r" } `, `{"a":"b","a":"c"}`, "{\"a\":\"\xff\"}", `{"a":"\u00e9"}`, `null`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want alongside.SectionText
		wantErr := json.Unmarshal([]byte(s), &want)
		got, err := decodeSectionText(s)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%q: error %v, encoding/json says %v", s, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: read %#v, encoding/json reads %#v", s, got, want)
		}
	})
}

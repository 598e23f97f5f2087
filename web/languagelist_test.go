package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// An administrator edits the organisation's list: a mistake is refused
// whole with its line and the text kept; a new entry is suggested on from
// the next check; a stale save is a conflict.
func TestLanguageListEditedByAdministrator(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			admin := w.as("orgadmin")
			list := fmt.Sprintf("/orgs/%d/language", w.org.ID)
			page := admin.get(list)
			wantBody(t, "the shipped list", page, "The list that comes with Alongside", "non-compliant", "Edit the list")

			shipped := content.DefaultSuggestionsText()
			bad := shipped + "\nphrase: service refuser\ncategory: grumpy\nreason: A label.\ninstead: someone who chose not to come\n"
			r := admin.post(list, url.Values{"body": {bad}, "version": {"0"}})
			wantStatus(t, "a mistake", r, http.StatusUnprocessableEntity)
			line := strings.Count(shipped, "\n") + 3
			wantBody(t, "with its line, text kept", r, fmt.Sprintf("Line %d:", line), "service refuser")
			wantStatus(t, "nothing saved", w.as("practitioner").post("/language/check", url.Values{"text": {"a service refuser"}}), http.StatusNoContent)

			good := strings.Replace(bad, "category: grumpy", "category: label", 1)
			wantStatus(t, "saved", admin.post(list, url.Values{"body": {good}, "version": {"0"}}), http.StatusSeeOther)
			check := w.as("practitioner").post("/language/check", url.Values{"text": {"He is a service refuser."}})
			wantStatus(t, "the new entry is used", check, http.StatusOK)
			wantBody(t, "with its alternative", check, "someone who chose not to come")
			wantBody(t, "the page says whose list", admin.get(list), "Your organisation’s own list", "Version 1, saved by Ola Orgadmin")

			wantStatus(t, "stale", admin.post(list, url.Values{"body": {shipped}, "version": {"0"}}), http.StatusConflict)
			wantStatus(t, "back to the shipped list", admin.post(list, url.Values{"shipped": {"1"}, "version": {"1"}}), http.StatusSeeOther)
			wantStatus(t, "the new entry is gone", w.as("practitioner").post("/language/check", url.Values{"text": {"He is a service refuser."}}), http.StatusNoContent)
		})
	}
}

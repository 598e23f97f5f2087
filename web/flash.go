package web

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// flash is a one-time message shown on the next page.
type flash struct {
	Kind    string // success, info, warning
	Message string
}

const flashCookie = "alongside_flash"

func setFlash(w http.ResponseWriter, kind, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + msg)),
		Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(string(b), "|")
	if !ok || (kind != "success" && kind != "info" && kind != "warning") {
		return nil
	}
	return &flash{Kind: kind, Message: msg}
}

// redirect sends the browser on with a flash message (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to, msg string) error {
	if msg != "" {
		setFlash(w, "success", msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

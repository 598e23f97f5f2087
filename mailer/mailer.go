// Package mailer sends Alongside's few emails (invitation and reset links)
// through an SMTP server, when one is configured. Without one, the person
// who issues a link sees it on screen and passes it on themselves.
package mailer

import (
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Mailer sends one plain-text email.
type Mailer interface {
	Send(to, subject, body string) error
}

// SMTP sends through an SMTP server, using STARTTLS when the server offers
// it and PLAIN authentication when credentials are given.
type SMTP struct {
	Addr     string // host:port
	Username string
	Password string
	From     string
}

// ParseURL reads a setting like smtp://user:pass@mail.example.org:587 with
// the sender address from from.
func ParseURL(raw, from string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP setting %q: use smtp://user:password@host:port", raw)
	}
	if strings.TrimSpace(from) == "" || !strings.Contains(from, "@") {
		return nil, fmt.Errorf("SMTP is set but the sender address (ALONGSIDE_MAIL_FROM) is missing or malformed")
	}
	m := &SMTP{Addr: u.Host, From: from}
	if u.Port() == "" {
		m.Addr = net.JoinHostPort(u.Hostname(), "587")
	}
	if u.User != nil {
		m.Username = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	return m, nil
}

// Send delivers the message.
func (m *SMTP) Send(to, subject, body string) error {
	if strings.ContainsAny(to+subject, "\r\n") {
		return fmt.Errorf("refusing a header with a line break")
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	var auth smtp.Auth
	if m.Username != "" {
		auth = smtp.PlainAuth("", m.Username, m.Password, host)
	}
	msg := "From: " + m.From + "\r\nTo: " + to + "\r\nSubject: " + subject +
		"\r\nDate: " + time.Now().UTC().Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	return smtp.SendMail(m.Addr, auth, m.From, []string{to}, []byte(msg))
}

package mailer

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// smtpSink is a minimal SMTP server on loopback that records one message,
// so Send is tested against a real SMTP conversation.
func smtpSink(t *testing.T) (addr string, got chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		say := func(s string) { c.Write([]byte(s + "\r\n")) }
		say("220 sink ready")
		var msg strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
				say("250 sink")
			case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"):
				msg.WriteString(strings.TrimSpace(line) + "\n")
				say("250 ok")
			case cmd == "DATA":
				say("354 go on")
				for {
					l, err := r.ReadString('\n')
					if err != nil || l == ".\r\n" {
						break
					}
					msg.WriteString(l)
				}
				say("250 queued")
			case cmd == "QUIT":
				say("221 bye")
				got <- msg.String()
				return
			default:
				say("250 ok")
			}
		}
	}()
	return ln.Addr().String(), got
}

func TestSendDeliversOverSMTP(t *testing.T) {
	addr, got := smtpSink(t)
	m, err := ParseURL("smtp://"+addr, "Alongside <noreply@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send("pat@example.org", "Your link", "Hello Pat,\nopen https://example.org/links/abc\n"); err != nil {
		t.Fatal(err)
	}
	msg := <-got
	for _, want := range []string{"RCPT TO:<pat@example.org>", "Subject: Your link", "https://example.org/links/abc"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestParseURLAndHeaderInjection(t *testing.T) {
	if _, err := ParseURL("http://mail.example.org", "a@example.org"); err == nil {
		t.Error("accepted a non-smtp URL")
	}
	if _, err := ParseURL("smtp://mail.example.org", ""); err == nil {
		t.Error("accepted a missing sender")
	}
	m, err := ParseURL("smtp://u:p@mail.example.org", "a@example.org")
	if err != nil || m.Addr != "mail.example.org:587" || m.Username != "u" || m.Password != "p" {
		t.Fatalf("ParseURL: %+v %v", m, err)
	}
	if err := m.Send("x@example.org\r\nBcc: evil@example.org", "s", "b"); err == nil {
		t.Error("a header with a line break was sent")
	}
}

package ui

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"nestauth/auth"
	"nestauth/internal/testkit"
)

func TestClientIDValidation(t *testing.T) {
	tests := []struct {
		name  string
		typed string
		want  step
		msg   string
	}{
		{"empty", "", stepClientID, "Client ID is empty"},
		{"spaces", "my client", stepClientID, "contains spaces"},
		{"ok", "my-client", stepSecret, ""},
		{"surrounding spaces trimmed", "  my-client ", stepSecret, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := newModel(t, Options{})
			wantStep(t, m, stepClientID)
			m = typeString(tt.typed, m, t)
			m = send(t, m, enter)
			wantStep(t, m, tt.want)
			if tt.msg != "" {
				wantView(t, m, tt.msg)
			}
		})
	}
}

func TestSecretIsMaskedAndRevealable(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id"})
	wantStep(t, m, stepSecret)
	m = typeString("hunter2", m, t)
	if strings.Contains(view(m), "hunter2") {
		t.Fatalf("secret shown in clear:\n%s", view(m))
	}
	wantView(t, m, "•••••••")
	m = send(t, m, ctrlR)
	wantView(t, m, "hunter2")
	m = send(t, m, ctrlR)
	if strings.Contains(view(m), "hunter2") {
		t.Fatal("second ctrl+r did not hide the secret")
	}
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
}

func TestEmptySecretStays(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id"})
	m = send(t, m, enter)
	wantStep(t, m, stepSecret)
	wantView(t, m, "Client secret is empty")
}

func TestBackKeepsValues(t *testing.T) {
	m, _, _ := newModel(t, Options{})
	m = typeString("the-id", m, t)
	m = send(t, m, enter)
	m = typeString("the-secret", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	m = send(t, m, esc)
	wantStep(t, m, stepSecret)
	m = send(t, m, esc)
	wantStep(t, m, stepClientID)
	wantView(t, m, "the-id")
	m = send(t, m, esc) // first step: stays, says how to quit
	wantStep(t, m, stepClientID)
	wantView(t, m, "ctrl+c quits")
	if got := m.inputs[stepSecret].Value(); got != "the-secret" {
		t.Fatalf("secret = %q after going back", got)
	}
}

func TestFlagValuesSkipStepsButEscReachesThem(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "Step 3 of 5 · Authorize")
	m = send(t, m, esc)
	wantStep(t, m, stepSecret)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
}

func TestAuthorizeShowsWholeURLAndCopiesIt(t *testing.T) {
	m, _, rec := newModel(t, Options{ClientID: "my-id", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 50, Height: 24})
	want := "https://home.nest.test/login/oauth2?client_id=my-id&state=" + m.state
	if got := strings.ReplaceAll(view(m), "\n", ""); !strings.Contains(got, want) {
		t.Fatalf("the URL %q is not shown whole:\n%s", want, view(m))
	}
	if len(m.state) != 22 {
		t.Errorf("state %q is not 128 bits in base64url", m.state)
	}
	m = send(t, m, char('c'))
	if len(rec.copied) != 1 || rec.copied[0] != want {
		t.Fatalf("copied %q, want %q", rec.copied, want)
	}
	wantView(t, m, "Copied the URL")
	m = send(t, m, char('o'))
	if len(rec.opened) != 1 || rec.opened[0] != want {
		t.Fatalf("opened %q", rec.opened)
	}
	wantView(t, m, "Opened")
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	send(t, m, ctrlO)
	if len(rec.opened) != 2 {
		t.Fatalf("ctrl+o on the code step did not reopen the URL: %q", rec.opened)
	}
}

func TestNoBrowserSaysSo(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	m.opts.Open = func(string) error { return errUnavailable }
	m = send(t, m, char('o'))
	wantView(t, m, "press c to copy the URL")
}

func atCode(t *testing.T, opts Options) (Model, *fakeExchanger, *recorder) {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = "id", "secret"
	}
	m, ex, rec := newModel(t, opts)
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	return m, ex, rec
}

func TestPasteWithTrailingNewlineDoesNotSubmit(t *testing.T) {
	m, ex, _ := atCode(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: "  TB39DWND\r\n"})
	wantStep(t, m, stepCode)
	if got := m.inputs[stepCode].Value(); got != "TB39DWND" {
		t.Fatalf("field = %q, want TB39DWND", got)
	}
	if len(ex.codes()) != 0 {
		t.Fatal("a paste sent a request")
	}
}

func TestPastedRedirectURL(t *testing.T) {
	tests := []struct {
		name, paste, wantField, wantMsg string
	}{
		{"whole URL", "https://www.google.com/?code=4/0AbC%2Fd-e&scope=x&state={state}", "4/0AbC/d-e", "Took the code out"},
		{"encoded bare code", "4%2F0AbCd", "4/0AbCd", "Took the code out"},
		{"wrong state", "https://www.google.com/?code=abc&state=someone-else", "", "state does not match"},
		{"denied", "https://www.google.com/?error=access_denied&state={state}", "", "ccess was denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := atCode(t, Options{})
			fill := func(s string) string { return strings.ReplaceAll(s, "{state}", m.state) }
			m = send(t, m, tea.PasteMsg{Content: fill(tt.paste)})
			if got := m.inputs[stepCode].Value(); got != fill(tt.wantField) {
				t.Errorf("field = %q, want %q", got, fill(tt.wantField))
			}
			wantView(t, m, tt.wantMsg)
		})
	}
}

func TestExchangeHappyPath(t *testing.T) {
	m, ex, rec := atCode(t, Options{})
	m = typeString("TB39DWND", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if got := ex.codes(); len(got) != 1 || got[0] != "TB39DWND" {
		t.Fatalf("exchanged %q, want one TB39DWND", got)
	}
	wantView(t, m, "Step 5 of 5 · Access token", "c.token-for-TB39DWND", "Expires in 3650 days, on 2036-11-25")
	m = send(t, m, char('c'))
	if len(rec.copied) != 1 || rec.copied[0] != "c.token-for-TB39DWND" {
		t.Fatalf("copied %q", rec.copied)
	}
	wantView(t, m, "Copied the access token")
	if m.Token() == nil || m.Token().AccessToken != "c.token-for-TB39DWND" {
		t.Fatalf("Token() = %+v", m.Token())
	}
	m = send(t, m, char('q'))
	if !m.done || m.Aborted() {
		t.Fatal("q did not finish the wizard")
	}
	if strings.Contains(view(m), "copy token") {
		t.Error("the final frame still shows the help line")
	}
}

func TestExchangeCopyFailureSaysWhy(t *testing.T) {
	m, _, _ := atCode(t, Options{})
	m.opts.Copy = func(string) error { return errNoClipboard }
	m = typeString("X", m, t)
	m = send(t, m, enter)
	m = send(t, m, char('c'))
	wantView(t, m, "OSC 52", "install xclip")
}

func TestOneEnterOneRequest(t *testing.T) {
	release := make(chan struct{})
	m, ex, _ := atCode(t, Options{})
	ex.answers = append(ex.answers, func(ctx context.Context) (*auth.Token, error) {
		<-release
		return tokenFor("A"), nil
	})
	m = typeString("A", m, t)
	next, cmd := m.Update(enter)
	m = next.(Model)
	if !m.exchange.running {
		t.Fatal("Enter did not start the exchange")
	}
	wantView(t, m, "Exchanging the code")
	for range 3 {
		next, extra := m.Update(enter)
		m = next.(Model)
		if extra != nil {
			t.Fatal("Enter during an exchange returned a command")
		}
	}
	close(release)
	m = run(t, m, cmd)
	wantStep(t, m, stepToken)
	if n := len(ex.codes()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestEscCancelsExchange(t *testing.T) {
	m, ex, _ := atCode(t, Options{})
	ex.answers = append(ex.answers, func(ctx context.Context) (*auth.Token, error) {
		<-ctx.Done()
		return tokenFor("late"), nil // a late answer must be ignored
	})
	m = typeString("A", m, t)
	next, cmd := m.Update(enter)
	m = next.(Model)
	m = send(t, m, esc)
	if m.exchange.running {
		t.Fatal("esc did not cancel")
	}
	wantStep(t, m, stepCode)
	wantView(t, m, "Canceled")
	m = run(t, m, cmd) // the canceled command's message arrives late
	wantStep(t, m, stepCode)
	if m.Token() != nil {
		t.Fatal("a canceled exchange produced a token")
	}
	if m.inputs[stepCode].Value() != "A" {
		t.Fatal("cancel lost the code")
	}
}

func TestErrorsRouteToTheStepThatFixesThem(t *testing.T) {
	tests := []struct {
		name      string
		err       *auth.Error
		wantStep  step
		wantField string
		wantView  []string
	}{
		{"expired code", &auth.Error{Kind: auth.KindCode, Code: "oauth2_error", Description: "authorization code expired", Status: 400},
			stepCode, "", []string{"authorization code expired", "ctrl+o"}},
		{"wrong secret", &auth.Error{Kind: auth.KindSecret, Code: "oauth2_error", Description: "client secret not found", Status: 400},
			stepSecret, "OLDCODE", []string{"client secret not found", "Enter takes you back"}},
		{"unknown client", &auth.Error{Kind: auth.KindClientID, Code: "unauthorized_client", Status: 400},
			stepClientID, "OLDCODE", []string{"unauthorized_client"}},
		{"server down", &auth.Error{Kind: auth.KindServer, Status: 502, Excerpt: "<html>Bad Gateway</html>"},
			stepCode, "OLDCODE", []string{"HTTP 502", "Bad Gateway", "Press Enter to retry"}},
		{"redirect mismatch", &auth.Error{Kind: auth.KindRedirect, Code: "redirect_uri_mismatch", Status: 400},
			stepCode, "OLDCODE", []string{"redirect_uri_mismatch", "pass --redirect-uri"}},
		{"escapes stripped", &auth.Error{Kind: auth.KindServer, Code: "x", Description: auth.Sanitize("bad\x1b[31mred\x1b]0;pwned\x07")},
			stepCode, "OLDCODE", []string{"badred"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ex, _ := atCode(t, Options{})
			ex.answers = append(ex.answers, fail(tt.err))
			m = typeString("OLDCODE", m, t)
			m = send(t, m, enter)
			wantStep(t, m, tt.wantStep)
			wantView(t, m, tt.wantView...)
			if got := m.inputs[stepCode].Value(); got != tt.wantField {
				t.Errorf("code field = %q, want %q", got, tt.wantField)
			}
			if m.inputs[stepClientID].Value() != "id" || m.inputs[stepSecret].Value() != "secret" {
				t.Error("the error cost the person their client ID or secret")
			}
			if strings.ContainsRune(m.View().Content, '\a') || strings.Contains(m.View().Content, "pwned") {
				t.Error("an escape sequence from the server reached the screen")
			}
		})
	}
}

func TestWrongSecretThenFixGoesStraightBackToCode(t *testing.T) {
	m, ex, _ := atCode(t, Options{})
	ex.answers = append(ex.answers, fail(&auth.Error{Kind: auth.KindSecret, Code: "invalid_client", Status: 401}))
	m = typeString("KEEPME", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepSecret)
	for range len("secret") {
		m = send(t, m, backsp)
	}
	m = typeString("right", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	if got := m.inputs[stepCode].Value(); got != "KEEPME" {
		t.Fatalf("code field = %q after fixing the secret", got)
	}
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if got := ex.codes(); len(got) != 2 || got[1] != "KEEPME" {
		t.Fatalf("exchanges = %q", got)
	}
}

func TestExpiredCodeThenNewCode(t *testing.T) {
	m, ex, _ := atCode(t, Options{})
	ex.answers = append(ex.answers, fail(&auth.Error{Kind: auth.KindCode, Code: "invalid_grant", Status: 400}))
	m = typeString("OLD", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepCode)
	m = send(t, m, tea.PasteMsg{Content: "NEW\n"})
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	wantView(t, m, "c.token-for-NEW")
}

func TestCtrlCAborts(t *testing.T) {
	for _, s := range []step{stepClientID, stepSecret, stepAuthorize, stepCode} {
		m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
		m.step = s
		m.focus()
		next, cmd := m.Update(ctrlC)
		m = next.(Model)
		if !m.Aborted() || cmd == nil {
			t.Fatalf("ctrl+c on %v did not abort", s)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("ctrl+c on %v did not quit", s)
		}
		wantView(t, m, "Aborted")
	}
}

func sdmProvider() auth.Provider {
	p := auth.SDM()
	p.TokenURL = "https://oauth2.test/token"
	return p
}

func TestProjectIDStep(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}})
	wantStep(t, m, stepProject)
	wantView(t, m, "Step 1 of 6 · Device Access project ID")
	m = typeString("my-project-123456", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepProject)
	wantView(t, m, "Google Cloud project ID", "Device Access Console")
	m = send(t, m, ctrlU)
	m = typeString("0a1b2c3d-1234-5678-9abc-0123456789ab", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepClientID)
	m = typeString("cid", m, t)
	m = send(t, m, enter)
	m = typeString("sec", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	u, err := url.Parse(m.authURL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/partnerconnections/0a1b2c3d-1234-5678-9abc-0123456789ab/auth" {
		t.Errorf("path = %q", u.Path)
	}
	q := u.Query()
	if q.Get("code_challenge") != auth.Challenge(m.verifier) || q.Get("redirect_uri") != "https://www.google.com" {
		t.Errorf("query = %v", q)
	}
	wantView(t, m, "https://www.google.com/?code=")
}

func TestProviderStep(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider(), nestProvider(), auth.Custom()}})
	wantStep(t, m, stepProvider)
	wantView(t, m, "Step 1 · Provider", "> 1. Google Nest Device Access", "2. Works with Nest (legacy)", "3. Custom OAuth 2.0 provider")
	m = send(t, m, down)
	wantView(t, m, "Step 1 · Provider", "> 2. Works with Nest") // no total until a choice
	m = send(t, m, enter)
	wantStep(t, m, stepClientID)
	wantView(t, m, "Step 2 of 6 · Client ID")
	m = send(t, m, esc)
	wantStep(t, m, stepProvider)
	m = send(t, m, char('3'))  // a number chooses at once
	wantStep(t, m, stepIssuer) // custom without endpoints asks for them
	wantView(t, m, "Step 2 · Issuer", "tab type endpoints")
}

func TestProviderListHasThePresets(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: auth.Providers()})
	wantView(t, m, "> 1. Google Nest Device Access", "2. Works with Nest (legacy)", "3. Google", "4. GitHub", "5. Custom OAuth 2.0 provider")
	wantView(t, m, "1-5 choose")
	m = send(t, m, char('6')) // no sixth: nothing moves
	wantView(t, m, "> 1. Google Nest", "Step 1 · Provider")
	m = send(t, m, char('4')) // a number chooses at once
	wantStep(t, m, stepScopes)
	wantView(t, m, "nestauth · GitHub", "Step 2 of 6 · Scopes") // Provider, Scopes, Client ID, Client secret, Device code, Access token
	m = send(t, m, esc)
	wantStep(t, m, stepProvider)
	wantView(t, m, "> 4. GitHub")
	m = send(t, m, char('3'))
	wantStep(t, m, stepScopes)
	wantView(t, m, "nestauth · Google", "Step 2 of 7 · Scopes")
}

func TestTokenStepShowsRefreshTokenAndWarns(t *testing.T) {
	ex := &fakeExchanger{answers: []func(context.Context) (*auth.Token, error){
		func(context.Context) (*auth.Token, error) {
			return &auth.Token{AccessToken: "ya29.a", RefreshToken: "1//refresh", Scope: "https://www.googleapis.com/auth/sdm.service",
				TokenType: "Bearer", ExpiresIn: 3599, Expiry: testNow.Add(3599 * time.Second)}, nil
		}}}
	m, _, rec := atCode(t, Options{Providers: []auth.Provider{sdmProvider()}, ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab", Exchanger: ex})
	m = typeString("4/0Ab", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	wantView(t, m, "ya29.a", "1//refresh", "Type: Bearer", "Scope: https://www.googleapis.com/auth/sdm.service", "Expires in 60 minutes", "7 days", "r copy refresh token")
	m = send(t, m, char('r'))
	wantView(t, m, "Copied the refresh token")
	if len(rec.copied) != 1 || rec.copied[0] != "1//refresh" {
		t.Fatalf("copied %q", rec.copied)
	}
}

func TestNarrowWindowNeverOverflows(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "a-rather-long-client-id.apps.example.com", ClientSecret: "s"})
	m = send(t, m, tea.WindowSizeMsg{Width: 50, Height: 24})
	for _, l := range strings.Split(view(m), "\n") {
		if w := ansi.StringWidth(l); w > 50 {
			t.Errorf("line is %d wide: %q", w, l)
		}
	}
	wantView(t, m, "o open in browser", "c copy URL", "ctrl+c quit") // every key stays visible
}

func TestBackgroundColourRestyles(t *testing.T) {
	m, _, _ := newModel(t, Options{})
	if !m.isDark {
		t.Fatal("styles should start dark")
	}
	dark := m.styles.Title.GetForeground()
	m = send(t, m, tea.BackgroundColorMsg{Color: lightBackground{}})
	if m.isDark || m.styles.Title.GetForeground() == dark {
		t.Fatal("a light background did not rebuild the styles")
	}
}

type lightBackground struct{}

func (lightBackground) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestDemoApprove(t *testing.T) {
	var got string
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s", Prefill: true,
		Approve: func(u string) (string, error) { got = u; return "DEMOPIN1", nil }})
	wantStep(t, m, stepClientID) // prefilled, not skipped
	m = send(t, m, enter)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	m = send(t, m, char('a'))
	wantStep(t, m, stepCode)
	if got != m.authURL() || m.inputs[stepCode].Value() != "DEMOPIN1" {
		t.Fatalf("approve got %q; field %q", got, m.inputs[stepCode].Value())
	}
	m.opts.Approve = func(string) (string, error) { return "", errors.New("unknown client_id") }
	m = send(t, m, esc)
	m = send(t, m, char('a'))
	wantView(t, m, "Unknown client_id")
}

func TestPasteOnAuthorizeGoesToCode(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	wantStep(t, m, stepAuthorize)
	m = send(t, m, tea.PasteMsg{Content: "TB39DWND\n"})
	wantStep(t, m, stepCode)
	if got := m.inputs[stepCode].Value(); got != "TB39DWND" {
		t.Fatalf("field = %q", got)
	}
}

func TestAnotherCodeStartsAFreshAuthorization(t *testing.T) {
	m, _, _ := atCode(t, Options{})
	oldState, oldVerifier := m.state, m.verifier
	m = typeString("X", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	m = send(t, m, esc)
	m = send(t, m, char('y')) // the token went nowhere: esc asks first
	wantStep(t, m, stepAuthorize)
	if m.state == oldState || m.verifier == oldVerifier {
		t.Fatal("a new authorization reused the old state or verifier")
	}
	if m.inputs[stepCode].Value() != "" {
		t.Fatal("the used code is still in the field")
	}
	wantView(t, m, "state="+m.state)
}

func TestFinalFrameSaysWhereTheTokenWent(t *testing.T) {
	m, _, _ := atCode(t, Options{TokenNote: "it went to stdout"})
	m = typeString("X", m, t)
	m = send(t, m, enter)
	m = send(t, m, char('q'))
	wantView(t, m, "Got an access token that expires in 3650 days", "it went to stdout")
	if strings.Contains(view(m), "c.token-for-X") {
		t.Fatal("the final frame repeats the token, wrapped")
	}
}

func TestPublicClientMayLeaveSecretEmpty(t *testing.T) {
	custom := auth.Custom()
	custom.AuthURL, custom.TokenURL = "https://idp.test/authorize", "https://idp.test/token"
	m, ex, _ := newModel(t, Options{Providers: []auth.Provider{custom}, ClientID: "public-app"})
	wantStep(t, m, stepSecret)
	m = send(t, m, enter)
	wantStep(t, m, stepAuthorize)
	m = send(t, m, enter)
	m = typeString("C", m, t)
	m = send(t, m, enter)
	wantStep(t, m, stepToken)
	if len(ex.codes()) != 1 {
		t.Fatal("no exchange for a public client")
	}
	// Nest and Google clients always have a secret.
	m, _, _ = newModel(t, Options{ClientID: "id"})
	m = send(t, m, enter)
	wantStep(t, m, stepSecret)
}

func TestRefusedRedirectDoesNotMoveTheWizard(t *testing.T) {
	m, _, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	c := fakeCapture(t, m)
	m = send(t, m, capturedMsg{capture: c, result: auth.Captured{Err: auth.ErrStateMismatch}})
	wantStep(t, m, stepAuthorize)
	wantView(t, m, "refused", "state does not match")
}

func TestProjectIDTakenOutOfAPaste(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}})
	m = send(t, m, tea.PasteMsg{Content: "https://console.nest.google.com/device-access/project/0A1B2C3D-1234-5678-9ABC-0123456789AB/information"})
	m = send(t, m, enter)
	wantStep(t, m, stepClientID)
	if got := m.inputs[stepProject].Value(); got != "0a1b2c3d-1234-5678-9abc-0123456789ab" {
		t.Fatalf("project = %q", got)
	}
}

func TestTallFrameIsCondensedToTheWindow(t *testing.T) {
	m, _, _ := newModel(t, Options{Providers: []auth.Provider{sdmProvider()}, ClientID: "123-abc.apps.googleusercontent.com",
		ClientSecret: "s", ProjectID: "0a1b2c3d-1234-5678-9abc-0123456789ab"})
	m = send(t, m, tea.WindowSizeMsg{Width: 60, Height: 12})
	lines := strings.Split(strings.TrimSuffix(view(m), "\n"), "\n")
	if len(lines) >= 12 {
		t.Fatalf("%d lines in a 12-row window:\n%s", len(lines), view(m))
	}
	if !strings.HasPrefix(lines[0], "nestauth · Google Nest Device Access") || !strings.HasPrefix(lines[1], "Step 4 of 6 · Authorize") || !strings.Contains(lines[len(lines)-1], "quit") {
		t.Fatalf("the header or the keys were cut:\n%s", view(m))
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 60, Height: 40})
	if !strings.Contains(view(m), "\n\n") {
		t.Fatal("a tall window should keep the blank lines")
	}
}

func TestPasteDuringExchangeIsIgnored(t *testing.T) {
	release := make(chan struct{})
	m, ex, _ := atCode(t, Options{})
	ex.answers = append(ex.answers, func(context.Context) (*auth.Token, error) { <-release; return tokenFor("FIRST"), nil })
	m = typeString("FIRST", m, t)
	next, cmd := m.Update(enter)
	m = next.(Model)
	m = send(t, m, tea.PasteMsg{Content: "SECOND"})
	if got := m.inputs[stepCode].Value(); got != "FIRST" {
		t.Fatalf("field = %q during the exchange", got)
	}
	close(release)
	m = run(t, m, cmd)
	wantStep(t, m, stepToken)
}

func TestClientIDLosesInvisibleCharacters(t *testing.T) {
	m, _, _ := newModel(t, Options{})
	m = send(t, m, tea.PasteMsg{Content: "abc\u200fdef\u202e"})
	m = send(t, m, enter)
	wantStep(t, m, stepSecret)
	if got := m.inputs[stepClientID].Value(); got != "abcdef" {
		t.Fatalf("client ID = %q", got)
	}
}

func TestLoopbackCodeAfterARejectedOne(t *testing.T) {
	m, ex, _ := newModel(t, Options{ClientID: "id", ClientSecret: "s"})
	ex.answers = append(ex.answers, fail(&auth.Error{Kind: auth.KindCode, Code: "invalid_grant", Status: 400}))
	port := strconv.Itoa(testkit.FreePort(t)) // for a real listener
	c, err := auth.ListenLoopback(auth.Loopback{Host: "127.0.0.1", Port: port, Path: "/cb"}, m.state)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	m.listener.capture = c
	m = send(t, m, capturedMsg{capture: c, result: auth.Captured{Code: auth.Code{Value: "EXPIRED"}}})
	wantStep(t, m, stepCode)
	wantView(t, m, "invalid_grant")
	m = send(t, m, capturedMsg{capture: c, result: auth.Captured{Code: auth.Code{Value: "FRESH"}}})
	wantStep(t, m, stepToken)
	if got := ex.codes(); len(got) != 2 || got[1] != "FRESH" {
		t.Fatalf("exchanged %q, want EXPIRED then FRESH", got)
	}
}

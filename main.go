// Command nestauth is a terminal wizard that gets an OAuth 2.0 access token
// for Nest devices (Google Device Access, or the legacy Works with Nest) or
// any OAuth 2.0 provider, with no curl command.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf16"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/internal/hidetmux"
	"nestauth/ui"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitAbort   = 130
)

// Demo credentials for the built-in server; they open nothing real.
const (
	demoClientID     = "nestauth-demo"
	demoClientSecret = "demo-secret-not-real"
)

func main() {
	hidetmux.Restore() // hidden while lipgloss initialized
	// A write to a closed pipe then fails with EPIPE, which is reported,
	// instead of killing nestauth without a word.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, takeSecrets()))
}

// secretEnv lists the environment variables that hold secrets.
var secretEnv = []string{"NESTAUTH_CLIENT_SECRET"}

// takeSecrets removes the secrets from the process environment, so that no
// child (a browser, xclip holding the selection) inherits them, and returns
// a getenv that still sees them.
func takeSecrets() func(string) string {
	taken := map[string]string{}
	for _, k := range secretEnv {
		if v, ok := os.LookupEnv(k); ok {
			taken[k] = v
			_ = os.Unsetenv(k)
		}
	}
	return func(k string) string {
		if v, ok := taken[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
}

// checkStdout fails, before anything is sent, when stdout cannot take the
// token: a code must not be spent on a token with nowhere to go. A write of
// nothing finds a read-only stdout or /dev/full without output.
func checkStdout(stdout io.Writer) error {
	f, ok := stdout.(*os.File)
	if !ok {
		return nil
	}
	if _, err := f.Write(nil); err != nil {
		return fmt.Errorf("stdout cannot be written (%w): the token would be lost, so nothing was sent", err)
	}
	if closedAtStart(f) {
		return errors.New("stdout cannot be written (it was closed): the token would be lost, so nothing was sent")
	}
	return nil
}

// usageError is a bad command line; it exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := "wizard"
	if len(args) > 0 && (args[0] == "exchange" || args[0] == "refresh") {
		cmd, args = args[0], args[1:]
	}
	if len(args) > 0 && args[0] == "help" { // nestauth help, nestauth exchange help
		args = []string{"--help"}
	}
	o, err := parseFlags(cmd, args, stderr, getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		say(stderr, "nestauth: "+err.Error())
		fmt.Fprintf(stderr, "Run 'nestauth %s--help' for usage.\n", map[bool]string{true: "", false: cmd + " "}[cmd == "wizard"])
		return exitUsage
	case o.version:
		if _, err := fmt.Fprintln(stdout, "nestauth", buildVersion()); err != nil {
			fmt.Fprintf(stderr, "nestauth: writing the version to stdout: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := checkStdout(stdout); err != nil {
		say(stderr, "nestauth: "+err.Error())
		return exitFailure
	}
	switch cmd {
	case "exchange":
		return runExchange(o, stdin, stdout, stderr)
	case "refresh":
		return runRefresh(o, stdin, stdout, stderr)
	}
	return runWizard(o, stdout, stderr, getenv)
}

func buildVersion() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if v == "" && ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "dev"
	}
	if !ok {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + ", " + bi.GoVersion
}

func runWizard(o *options, stdout, stderr io.Writer, getenv func(string) string) int {
	uo := ui.Options{
		Providers:    o.providers,
		ClientID:     o.clientID,
		ClientSecret: o.clientSecret,
		ProjectID:    o.projectID,
		Timeout:      o.timeout,
		Copy:         ui.CopyToSystem,
		Open:         ui.OpenBrowser,
	}
	if conn := strings.Fields(getenv("SSH_CONNECTION")); len(conn) == 4 {
		uo.SSHHost = conn[2]
	}
	if o.demo {
		fake := fakenest.New(demoClientID, demoClientSecret)
		if err := fake.Start(); err != nil {
			fmt.Fprintf(stderr, "nestauth: cannot start the demo server: %v\n", err)
			return exitFailure
		}
		defer fake.Close()
		p := auth.Nest()
		p.Name = "Works with Nest (demo server on this machine)"
		p.AuthURL, p.TokenURL = fake.AuthURL(), fake.TokenURL()
		uo.Providers = []auth.Provider{p}
		uo.ClientID, uo.ClientSecret, uo.Prefill = demoClientID, demoClientSecret, true
		uo.Approve = fake.Approve
	}

	uo.TokenNote = "here it is, on one line for copying"
	if !isTerminal(stdout) {
		// Written while the wizard still shows the token: if the write
		// fails, the person can copy it from the screen.
		uo.TokenNote = "it went to stdout"
		uo.Deliver = func(t *auth.Token) error {
			_, err := fmt.Fprintln(stdout, t.AccessToken)
			return err
		}
	}
	// The wizard draws on stderr; when that is redirected, on the terminal itself.
	const noTerminal = "nestauth: the wizard needs a terminal; without one, use 'nestauth exchange' (see 'nestauth exchange --help')"
	if getenv("TERM") == "dumb" {
		say(stderr, strings.Replace(noTerminal, "a terminal", "a terminal that understands escape codes (TERM is dumb)", 1))
		return exitFailure
	}
	screen := stderr
	if !isTerminal(stderr) {
		tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
		if err != nil {
			fmt.Fprintln(stderr, noTerminal)
			return exitFailure
		}
		defer tty.Close()
		screen = tty
	}

	p := tea.NewProgram(ui.New(uo), tea.WithOutput(screen), tea.WithColorProfile(colorProfile(screen)))
	defer quitOnHangup(p)()
	final, err := p.Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted):
		return exitAbort // SIGINT
	case errors.Is(err, tea.ErrProgramKilled):
		fmt.Fprintln(stderr, "nestauth: stopped before a token was fetched")
		return exitFailure
	case err != nil:
		fmt.Fprintf(stderr, "nestauth: the wizard could not run: %v\n", err)
		if strings.Contains(err.Error(), "TTY") {
			fmt.Fprintln(stderr, noTerminal)
		}
		return exitFailure
	}
	m := final.(ui.Model)
	m.Close()
	switch {
	case m.Aborted():
		return exitAbort
	case m.Token() == nil:
		fmt.Fprintln(stderr, "nestauth: stopped before a token was fetched")
		return exitFailure
	case m.DeliverErr() != nil:
		say(stderr, fmt.Sprintf("nestauth: the token could not be written to stdout: %v", m.DeliverErr()))
		return exitFailure
	}
	if !m.Delivered() {
		// Printed whole, after the program: a wrapped token would copy with newlines.
		if _, err := fmt.Fprintln(stdout, m.Token().AccessToken); err != nil {
			say(stderr, fmt.Sprintf("nestauth: the token could not be written to stdout: %v", err))
			return exitFailure
		}
	}
	if rt := m.Token().RefreshToken; rt != "" {
		// On the screen, not stdout, which holds the access token alone;
		// without this a piped run would lose the long-lived token.
		say(screen, "Refresh token (for nestauth refresh):")
		fmt.Fprintln(screen, rt) // whole, like the access token
		if warn := m.Provider().RefreshTokenWarning(); warn != "" {
			say(screen, warn)
		}
	}
	return exitOK
}

// quitOnHangup ends the program on SIGHUP and SIGQUIT as Bubble Tea ends it
// on SIGTERM, restoring the terminal: their default action would leave it
// raw, with the cursor hidden. The returned func stops listening.
func quitOnHangup(p *tea.Program) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGQUIT)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			p.Quit()
		case <-done:
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}

// say prints prose on w, wrapped at word boundaries to the width of the
// terminal w is; anywhere else, on one line.
func say(w io.Writer, s string) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if width, _, err := term.GetSize(f.Fd()); err == nil && width > 0 {
			s = ui.WrapText(s, width)
		}
	}
	fmt.Fprintln(w, s)
}

// colorProfile is what Bubble Tea would detect, minus its `tmux info` call:
// that has no time limit, and a wedged tmux server would hold the first frame
// forever. Inside tmux, TERM still gives 256 colours.
func colorProfile(screen io.Writer) colorprofile.Profile {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") {
			env = append(env, kv)
		}
	}
	return colorprofile.Detect(screen, env)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func runExchange(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	raw, source := o.code, o.codeSource
	if source == "" {
		line, err := readLine(stdin, stderr, "Code or redirect URL")
		if err != nil {
			fmt.Fprintf(stderr, "nestauth: reading the code from stdin: %v\n", err)
			return exitUsage
		}
		if line == "" {
			fmt.Fprintln(stderr, "nestauth: no code: pass --code CODE, --code-file PATH, or the code on stdin (the PIN, the code, or the whole redirect URL)")
			return exitUsage
		}
		raw, source = line, "stdin"
	}
	code, err := auth.ParseCode(raw, "")
	var denied *auth.AuthorizationError
	switch {
	case errors.As(err, &denied):
		// The server sent no code: the person must authorize again.
		say(stderr, fmt.Sprintf("nestauth: the redirect carries an error, not a code: %v.", denied))
		return auth.KindCode.ExitCode()
	case errors.Is(err, auth.ErrEmptyCode):
		err = fmt.Errorf("%s is empty: give the PIN, the code, or the whole redirect URL", source)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nestauth: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	cfg := o.config()
	tok, err := cfg.Exchange(ctx, code.Value, o.verifier)
	var extra string
	if auth.ErrorKind(err) == auth.KindRedirect {
		extra = " " + cfg.RedirectHint()
	}
	if warn := cfg.RefreshTokenWarning(); err == nil && tok.RefreshToken != "" && warn != "" {
		fmt.Fprintln(stderr, "nestauth: note:", warn)
	}
	return printResult(tok, err, extra, "The code is used up: get a new one, and give exchange a stdout it can write.", stdout, stderr)
}

func runRefresh(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	rt := o.refreshToken
	if o.refreshTokenFile == "" {
		line, err := readLine(stdin, stderr, "Refresh token")
		if err != nil {
			fmt.Fprintf(stderr, "nestauth: reading the refresh token from stdin: %v\n", err)
			return exitUsage
		}
		rt = line
	}
	if rt == "" {
		fmt.Fprintln(stderr, "nestauth: no refresh token: pass --refresh-token-file PATH or pipe it on stdin")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	tok, err := o.config().Refresh(ctx, rt)
	return printResult(tok, err, "", "Run refresh again with a stdout it can write (if the server rotated the refresh token, use the new one shown here).", stdout, stderr)
}

// readLine reads one value from stdin: with the echo off from a terminal,
// after a prompt on stderr; else the first line, at most 64 KiB.
func readLine(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		fmt.Fprint(stderr, prompt+" (input hidden): ")
		b, err := readHidden(f)
		fmt.Fprintln(stderr)
		return strings.TrimSpace(string(b)), err
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// printResult prints a token as JSON, or an error as one line (with extra
// advice appended) and returns the exit code. lost says what to do when the
// token cannot be written.
func printResult(tok *auth.Token, err error, extra, lost string, stdout, stderr io.Writer) int {
	if err != nil {
		var e *auth.Error
		if errors.As(err, &e) {
			line := fmt.Sprintf("nestauth: %s: %v.", describe(e), e)
			if hint := e.Hint(); hint != "" {
				line += " " + hint
			}
			say(stderr, line+extra)
			return e.Kind.ExitCode()
		}
		fmt.Fprintf(stderr, "nestauth: %v\n", err)
		return exitFailure
	}
	out, err := encodeToken(tok)
	if err == nil {
		_, err = stdout.Write(out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nestauth: the token could not be written to stdout: %v.\n", err)
		if isTerminal(stderr) { // a person is watching: better here than lost
			fmt.Fprintf(stderr, "Here it is on the terminal instead:\n%s", out)
		} else {
			fmt.Fprintln(stderr, lost)
		}
		return exitFailure
	}
	return exitOK
}

// encodeToken is the token as indented JSON, every string made safe to show.
func encodeToken(tok *auth.Token) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tok); err != nil {
		return nil, err
	}
	return escapeInvisible(b.Bytes()), nil
}

// escapeInvisible writes, in JSON text, every control and format character
// (C1 controls, bidi overrides and isolates, zero-width characters) as its
// \u escape. A JSON reader gets the same string; a terminal showing the
// output is not steered by it. json.Encoder escapes only C0 controls and
// U+2028/U+2029. Outside strings JSON text is ASCII, so only strings change.
func escapeInvisible(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r < 0x7f || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			out.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
			fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
		} else {
			fmt.Fprintf(&out, `\u%04x`, r)
		}
	}
	return out.Bytes()
}

func describe(e *auth.Error) string {
	switch e.Kind {
	case auth.KindCode:
		if e.Refresh {
			return "refresh token rejected"
		}
		return "code rejected"
	case auth.KindClientID, auth.KindSecret:
		return "client rejected"
	case auth.KindRedirect:
		return "redirect URI rejected"
	case auth.KindScope:
		return "scope rejected"
	case auth.KindRequest:
		return "request rejected"
	case auth.KindNetwork:
		return "network error"
	case auth.KindUsage:
		return "usage"
	}
	return "server error"
}

// options is the parsed command line.
type options struct {
	providers    []auth.Provider
	clientID     string
	clientSecret string
	projectID    string
	timeout      time.Duration
	demo         bool
	version      bool

	code, verifier   string
	codeSource       string // where the code came from: --code, --code-file PATH, or "" (stdin)
	refreshTokenFile string
	refreshToken     string
}

// config is the configuration for exchange and refresh: one provider.
func (o *options) config() auth.Config {
	return auth.Config{Provider: o.providers[0], ClientID: o.clientID, ClientSecret: o.clientSecret, ProjectID: o.projectID}
}

// reservedParams are the authorization parameters nestauth sets itself: a
// --param could otherwise make the URL and the token request disagree.
var reservedParams = map[string]bool{
	"client_id": true, "redirect_uri": true, "state": true, "response_type": true,
	"scope": true, "code_challenge": true, "code_challenge_method": true,
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func parseFlags(cmd string, args []string, stderr io.Writer, getenv func(string) string) (*options, error) {
	for _, a := range args {
		if name := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-"); name == "client-secret" && strings.HasPrefix(a, "-") {
			return nil, usagef("the client secret is never a command-line value (it would show in ps and shell history): set NESTAUTH_CLIENT_SECRET or use --client-secret-file PATH")
		}
	}
	fs := flag.NewFlagSet("nestauth", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		o                      options
		pf                     providerFlags
		secretFile             string
		codeFile, verifierFile string
	)
	fs.StringVar(&pf.id, "provider", "", "")
	fs.StringVar(&o.clientID, "client-id", getenv("NESTAUTH_CLIENT_ID"), "")
	fs.StringVar(&secretFile, "client-secret-file", "", "")
	fs.StringVar(&o.projectID, "project-id", getenv("NESTAUTH_PROJECT_ID"), "")
	fs.StringVar(&pf.authURL, "auth-url", "", "")
	fs.StringVar(&pf.tokenURL, "token-url", "", "")
	fs.StringVar(&pf.redirectURI, "redirect-uri", "", "")
	fs.StringVar(&pf.authStyle, "auth-style", "", "")
	fs.Var(&pf.scopes, "scope", "")
	fs.Var(&pf.params, "param", "")
	fs.BoolVar(&pf.noPKCE, "no-pkce", false, "")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "")
	fs.BoolVar(&o.version, "version", false, "")
	switch cmd {
	case "wizard":
		fs.BoolVar(&o.demo, "demo", false, "")
	case "exchange":
		fs.StringVar(&o.code, "code", "", "")
		fs.StringVar(&codeFile, "code-file", "", "")
		fs.StringVar(&o.verifier, "code-verifier", "", "")
		fs.StringVar(&verifierFile, "code-verifier-file", "", "")
	case "refresh":
		fs.StringVar(&o.refreshTokenFile, "refresh-token-file", "", "")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText[cmd])
			return nil, err
		}
		return nil, usageError{flagError(err)}
	}
	if o.version {
		return &o, nil
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	if o.timeout <= 0 {
		return nil, usagef("--timeout must be positive, such as 30s")
	}
	o.clientID = auth.NormalizeClientID(o.clientID)
	o.projectID = strings.TrimSpace(o.projectID)
	o.clientSecret = strings.TrimPrefix(strings.TrimSpace(getenv("NESTAUTH_CLIENT_SECRET")), "\uFEFF")
	if secretFile != "" {
		secret, err := readSmallFile(secretFile)
		if err != nil {
			return nil, usagef("--client-secret-file: %v", err)
		}
		o.clientSecret = secret
		if o.clientSecret == "" {
			return nil, usagef("--client-secret-file: %s is empty", secretFile)
		}
	}
	if o.refreshTokenFile != "" {
		rt, err := readSmallFile(o.refreshTokenFile)
		if err != nil {
			return nil, usagef("--refresh-token-file: %v", err)
		}
		o.refreshToken = rt
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := o.readCodeFiles(set, codeFile, verifierFile); err != nil {
		return nil, err
	}
	source := func(flagName, env string) string { // name what the person gave
		if set[flagName] {
			return "--" + flagName
		}
		return env
	}
	if o.projectID != "" && !o.demo && (pf.id == "" || strings.EqualFold(pf.id, "sdm")) {
		o.projectID = auth.NormalizeProjectID(o.projectID)
		if err := auth.ValidateProjectID(o.projectID); err != nil {
			return nil, usagef("%s %q: %v. %s", source("project-id", "NESTAUTH_PROJECT_ID"), o.projectID, err, auth.ProjectIDHelp)
		}
	}
	if o.clientID != "" {
		if err := auth.ValidateClientID(o.clientID); err != nil {
			return nil, usagef("%s: %v", source("client-id", "NESTAUTH_CLIENT_ID"), err)
		}
	}
	if o.demo && pf.id != "" {
		return nil, usagef("--demo runs its own Works with Nest server: leave out --provider")
	}
	if cmd == "refresh" && strings.EqualFold(pf.id, "nest") {
		return nil, usagef("Works with Nest never issued refresh tokens (its access tokens last ten years): for a new token, run the wizard or 'nestauth exchange' with a new PIN")
	}
	var err error
	if o.providers, err = pf.providers(cmd, o.demo); err != nil {
		return nil, err
	}
	if cmd != "wizard" {
		if o.clientID == "" {
			return nil, usagef("%s needs --client-id (or NESTAUTH_CLIENT_ID)", cmd)
		}
		if o.clientSecret == "" && !o.providers[0].PublicClient {
			return nil, usagef("%s needs the client secret in NESTAUTH_CLIENT_SECRET or --client-secret-file", cmd)
		}
	}
	return &o, nil
}

// readCodeFiles takes exchange's code and verifier from their files: kept
// out of argv, where ps shows them to every local user.
func (o *options) readCodeFiles(set map[string]bool, codeFile, verifierFile string) error {
	if set["code"] && set["code-file"] {
		return usagef("give --code or --code-file, not both")
	}
	if set["code-verifier"] && set["code-verifier-file"] {
		return usagef("give --code-verifier or --code-verifier-file, not both")
	}
	switch {
	case set["code"]:
		o.codeSource = "--code"
	case set["code-file"]:
		code, err := readSmallFile(codeFile)
		if err != nil {
			return usagef("--code-file: %v", err)
		}
		o.code, o.codeSource = code, "--code-file "+codeFile
	}
	if set["code-verifier-file"] {
		v, err := readSmallFile(verifierFile)
		if err != nil {
			return usagef("--code-verifier-file: %v", err)
		}
		if v == "" {
			return usagef("--code-verifier-file: %s is empty", verifierFile)
		}
		o.verifier = v
	}
	return nil
}

// providerFlags are the flags that shape a provider.
type providerFlags struct {
	id, authURL, tokenURL, redirectURI, authStyle string
	scopes, params                                listFlag
	noPKCE                                        bool
}

// providers returns the providers to offer (one when --provider is given),
// each with the flags' overrides, checked before anything is sent.
func (f providerFlags) providers(cmd string, demo bool) ([]auth.Provider, error) {
	style, ok := auth.ParseAuthStyle(f.authStyle)
	if !ok {
		return nil, usagef("--auth-style must be post or basic, not %q", f.authStyle)
	}
	var extra [][2]string
	for _, p := range f.params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usagef("--param takes key=value, not %q", p)
		}
		if reservedParams[k] {
			return nil, usagef("--param %s: nestauth sets %s itself (use --client-id, --redirect-uri or --scope for those)", k, k)
		}
		extra = append(extra, [2]string{k, v})
	}
	scopes := strings.Fields(strings.Join(f.scopes, " "))
	if len(f.scopes) > 0 && len(scopes) == 0 {
		return nil, usagef("--scope is empty: leave it out for the provider's default")
	}

	var base []auth.Provider
	switch {
	case f.id != "":
		p, ok := auth.LookupProvider(f.id)
		if !ok {
			return nil, usagef("unknown --provider %q: use sdm, nest or custom", f.id)
		}
		base = []auth.Provider{p}
	case cmd != "wizard":
		return nil, usagef("%s needs --provider sdm, nest or custom", cmd)
	case demo:
		base = []auth.Provider{auth.Nest()}
	default:
		base = auth.Providers()
	}
	var out []auth.Provider
	for _, p := range base {
		p.AuthURL = cmp.Or(f.authURL, p.AuthURL)
		p.TokenURL = cmp.Or(f.tokenURL, p.TokenURL)
		p.RedirectURI = cmp.Or(f.redirectURI, p.RedirectURI)
		if len(scopes) > 0 {
			p.Scopes = scopes
		}
		if f.authStyle != "" {
			p.AuthStyle = style
		}
		p.AuthParams = append(p.AuthParams, extra...)
		p.PKCE = p.PKCE && !f.noPKCE
		if err := checkEndpoints(p, cmd, len(base) == 1); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// checkEndpoints refuses, before any request, endpoints that are missing or
// that would send a secret in the clear. chosen is false for a provider that
// is only offered in the wizard's list: it may still lack its endpoints.
func checkEndpoints(p auth.Provider, cmd string, chosen bool) error {
	cfg := auth.Config{Provider: p}
	check, flags := cfg.ValidateEndpoints, "--auth-url and --token-url"
	if cmd != "wizard" {
		check, flags = cfg.ValidateTokenEndpoint, "--token-url"
	}
	switch err := check(); {
	case errors.Is(err, auth.ErrNoEndpoint) && !chosen:
		return nil
	case errors.Is(err, auth.ErrNoEndpoint):
		return usagef("--provider %s needs %s", p.ID, flags)
	case err != nil:
		return usageError{err.Error()}
	}
	return nil
}

// readHidden reads a line without echo. ctrl+c, or a hangup, quit or
// termination signal, ends the program with the terminal's echo restored,
// which term.ReadPassword alone would leave off.
func readHidden(f *os.File) ([]byte, error) {
	state, err := term.GetState(f.Fd())
	if err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer func() { signal.Stop(sigs); close(sigs) }()
	go func() {
		if _, ok := <-sigs; ok {
			_ = term.Restore(f.Fd(), state)
			fmt.Fprintln(os.Stderr)
			os.Exit(exitAbort)
		}
	}()
	return term.ReadPassword(f.Fd())
}

// readSmallFile reads a secret or token file: at most 64 KiB (a device or a
// wrong path must not fill memory), trimmed, without a byte order mark.
func readSmallFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10+1))
	if err != nil {
		return "", err
	}
	if len(b) > 64<<10 {
		return "", fmt.Errorf("%s is over 64 KiB: is it the right file?", path)
	}
	return strings.TrimSpace(strings.TrimPrefix(string(b), "\uFEFF")), nil
}

// flagError words the flag package's errors the way the help spells flags.
func flagError(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"flag provided but not defined: -", "flag needs an argument: -"} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			if strings.HasPrefix(prefix, "flag provided") {
				return "unknown flag --" + strings.TrimPrefix(rest, "-")
			}
			return "--" + strings.TrimPrefix(rest, "-") + " needs a value"
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if v, f, ok := strings.Cut(rest, " for flag -"); ok {
			name, why, _ := strings.Cut(f, ": ")
			name = strings.TrimPrefix(name, "-")
			if name == "timeout" {
				why = "a duration with a unit, such as 30s or 2m"
			}
			return fmt.Sprintf("--%s: invalid value %s (%s)", name, v, why)
		}
	}
	return msg
}

// Command nestauth is a terminal wizard that gets an OAuth 2.0 access token
// for Nest devices (Google Device Access, or the legacy Works with Nest) or
// any OAuth 2.0 provider, with no curl command.
package main

import (
	"bufio"
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

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"nestauth/auth"
	"nestauth/auth/fakenest"
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
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
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
		fmt.Fprintf(stderr, "nestauth: %v\n", err)
		fmt.Fprintf(stderr, "Run 'nestauth %s--help' for usage.\n", map[bool]string{true: "", false: cmd + " "}[cmd == "wizard"])
		return exitUsage
	case o.version:
		fmt.Fprintln(stdout, "nestauth", buildVersion())
		return exitOK
	}
	switch cmd {
	case "exchange":
		return runExchange(o, stdout, stderr)
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

	uo.TokenNote = "it went to stdout"
	if isTerminal(stdout) {
		uo.TokenNote = "here it is, on one line for copying"
	}
	// The wizard draws on stderr; when that is redirected, on the terminal itself.
	const noTerminal = "nestauth: the wizard needs a terminal; without one, use 'nestauth exchange' (see 'nestauth exchange --help')"
	if getenv("TERM") == "dumb" {
		fmt.Fprintln(stderr, strings.Replace(noTerminal, "a terminal", "a terminal that understands escape codes (TERM is dumb)", 1))
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

	final, err := tea.NewProgram(ui.New(uo), tea.WithOutput(screen),
		tea.WithColorProfile(colorProfile(screen))).Run()
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
	}
	// Printed whole, after the program: a wrapped token would copy with newlines.
	fmt.Fprintln(stdout, m.Token().AccessToken)
	if rt := m.Token().RefreshToken; rt != "" {
		// On the screen, not stdout, which holds the access token alone;
		// without this a piped run would lose the long-lived token.
		fmt.Fprintln(screen, "Refresh token (for nestauth refresh):")
		fmt.Fprintln(screen, rt)
		if warn := m.Provider().RefreshTokenWarning(); warn != "" {
			fmt.Fprintln(screen, warn)
		}
	}
	return exitOK
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

func runExchange(o *options, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	code, err := auth.ParseCode(o.code, "")
	if errors.Is(err, auth.ErrEmptyCode) {
		err = errors.New("--code is empty: give the PIN, the code, or the whole redirect URL")
	}
	if err != nil {
		fmt.Fprintf(stderr, "nestauth: %v\n", err)
		return exitUsage
	}
	cfg := o.config()
	tok, err := cfg.Exchange(ctx, code.Value, o.verifier)
	var extra string
	if auth.ErrorKind(err) == auth.KindRedirect {
		extra = " " + cfg.RedirectHint()
	}
	if warn := cfg.RefreshTokenWarning(); err == nil && tok.RefreshToken != "" && warn != "" {
		fmt.Fprintln(stderr, "nestauth: note:", warn)
	}
	return printResult(tok, err, extra, stdout, stderr)
}

func runRefresh(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	rt := o.refreshToken
	if f, ok := stdin.(*os.File); ok && o.refreshTokenFile == "" && term.IsTerminal(f.Fd()) {
		fmt.Fprint(stderr, "Refresh token (input hidden): ")
		b, err := readHidden(f)
		fmt.Fprintln(stderr)
		if err != nil {
			fmt.Fprintf(stderr, "nestauth: reading the refresh token: %v\n", err)
			return exitUsage
		}
		rt = strings.TrimSpace(string(b))
	} else if o.refreshTokenFile == "" {
		line, err := bufio.NewReader(io.LimitReader(stdin, 64<<10)).ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintf(stderr, "nestauth: reading the refresh token from stdin: %v\n", err)
			return exitUsage
		}
		rt = strings.TrimSpace(line)
	}
	if rt == "" {
		fmt.Fprintln(stderr, "nestauth: no refresh token: pass --refresh-token-file PATH or pipe it on stdin")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	tok, err := o.config().Refresh(ctx, rt)
	return printResult(tok, err, "", stdout, stderr)
}

// printResult prints a token as JSON, or an error as one line (with extra
// advice appended) and returns the exit code.
func printResult(tok *auth.Token, err error, extra string, stdout, stderr io.Writer) int {
	if err != nil {
		var e *auth.Error
		if errors.As(err, &e) {
			line := fmt.Sprintf("nestauth: %s: %v.", describe(e), e)
			if hint := e.Hint(); hint != "" {
				line += " " + hint
			}
			fmt.Fprintln(stderr, line+extra)
			return e.Kind.ExitCode()
		}
		fmt.Fprintf(stderr, "nestauth: %v\n", err)
		return exitFailure
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(tok)
	return exitOK
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
		o          options
		pf         providerFlags
		secretFile string
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
		fs.StringVar(&o.verifier, "code-verifier", "", "")
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
	if cmd == "exchange" && strings.TrimSpace(o.code) == "" {
		return nil, usagef("exchange needs --code CODE (the PIN, the code, or the whole redirect URL)")
	}
	return &o, nil
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

// readHidden reads a line without echo. ctrl+c ends the program with the
// terminal's echo restored, which term.ReadPassword alone would leave off.
func readHidden(f *os.File) ([]byte, error) {
	state, err := term.GetState(f.Fd())
	if err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
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

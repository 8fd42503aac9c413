package e2e

// One flow, two front ends: the wizard (in tmux) and plain mode (real
// pipes, no terminal) walk the steps package flow lists for the flags
// given, in its order, for sdm, nest, custom with --issuer and the device
// flow. The expected steps are flow's (flow.Plan.Asked), not written here.

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/testkit"
	"nestauth/ui/flow"
)

// flowRun is one run of a front end through a flow: the flags, and what
// it answers at each step.
type flowRun struct {
	args   []string
	plan   flow.Plan // what flow makes of the flags: the steps to walk
	answer map[flow.Step]string
	// code gets the code in while the code step waits, given the
	// authorization URL; nil: it is answered as a field.
	code    func(t *testing.T, authURL string)
	authURL string // the wizard's, copied at Authorize
	// approve approves the device flow's user code.
	approve func(t *testing.T, userCode string)
	wait    time.Duration // how long a step may take: a device poll is slow
}

// flowCases are the runs for both front ends; each call gives fresh codes.
func flowCases() map[string]func(t *testing.T) flowRun {
	return map[string]func(t *testing.T) flowRun{
		"nest": func(t *testing.T) flowRun {
			fake := startFake(t)
			return flowRun{
				args: []string{"--provider", "nest", "--auth-url", fake.AuthURL(), "--token-url", fake.TokenURL()},
				plan: flowPlan(flow.Options{}, auth.Nest(), nil),
				answer: map[flow.Step]string{flow.ClientID: nestID, flow.Secret: nestSecret,
					flow.Code: fake.IssueCode()},
			}
		},
		"sdm": func(t *testing.T) flowRun {
			const code = "4/0AX4XfWh-e2e-flow"
			srv := httptest.NewServer(&sdmStub{codes: map[string]bool{code: true}})
			t.Cleanup(srv.Close)
			return flowRun{
				args: []string{"--provider", "sdm", "--auth-url", srv.URL + "/auth", "--token-url", srv.URL + "/token"},
				plan: flowPlan(flow.Options{}, auth.SDM(), nil),
				answer: map[flow.Step]string{flow.Project: "0a1b2c3d-1234-5678-9abc-0123456789ab",
					flow.ClientID: "123-e2e.apps.googleusercontent.com", flow.Secret: "sdm-secret", flow.Code: code},
			}
		},
		"custom with --issuer": func(t *testing.T) flowRun {
			issuer := startOIDC(t)
			redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", testkit.FreePort(t))
			return flowRun{
				args: []string{"--issuer", issuer},
				plan: flowPlan(flow.Options{Issuer: issuer}, auth.Custom(), func(p *auth.Provider) {
					p.AuthURL, p.TokenURL, p.RedirectURI = issuer+"/auth", issuer+"/token", redirect
				}),
				answer: map[flow.Step]string{flow.Scopes: "openid read", flow.Redirect: redirect,
					flow.ClientID: oidcID, flow.Secret: oidcSecret},
				code: func(t *testing.T, authURL string) {
					if _, page := browse(t, "--follow", authURL); !strings.Contains(page, "the terminal has the code") {
						t.Fatalf("the browser was told %q", page)
					}
				},
			}
		},
		"device flow": func(t *testing.T) flowRun {
			issuer := startOIDC(t)
			return flowRun{
				args: []string{"--issuer", issuer, "--scope", "read"},
				plan: flowPlan(flow.Options{Issuer: issuer, Scopes: []string{"read"}}, auth.Custom(), func(p *auth.Provider) {
					p.AuthURL, p.TokenURL, p.DeviceURL = issuer+"/auth", issuer+"/token", issuer+"/device/auth"
				}),
				answer: map[flow.Step]string{flow.Redirect: "", flow.ClientID: oidcID + "-public", flow.Secret: ""},
				approve: func(t *testing.T, userCode string) {
					if out, _ := browse(t, "--user-code", userCode, issuer+"/device"); out != "approved" {
						t.Fatalf("browse.js said %q", out)
					}
				},
				wait: deviceWait,
			}
		},
	}
}

// flowPlan is the plan for provider p chosen by the flags, with answered
// standing in for what its Custom path's answers made of it.
func flowPlan(o flow.Options, p auth.Provider, answered func(*auth.Provider)) flow.Plan {
	o.Providers = []auth.Provider{p}
	plan := flow.Plan{Options: o, Base: p, Provider: p}
	if answered != nil {
		answered(&plan.Provider)
	}
	return plan
}

func titles(steps []flow.Step) []string {
	var s []string
	for _, st := range steps {
		s = append(s, st.String())
	}
	return s
}

// onTheWay fails at once when the steps who walked so far are not the
// start of those flow lists.
func onTheWay(t *testing.T, who string, walked, want []string) {
	t.Helper()
	if len(walked) > len(want) || !slices.Equal(walked, want[:len(walked)]) {
		t.Fatalf("%s walked %q; flow lists %q", who, walked, want)
	}
}

func TestFlowStepsWizard(t *testing.T) {
	for name, start := range flowCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := start(t)
			want := titles(run.plan.Asked())
			tm := startWizard(t, wizardRun{width: 100, height: 30, args: run.args})
			var walked []string
			for title := ""; title != flow.Token.String(); {
				title = wizardStep(t, tm, title, run)
				walked = append(walked, title)
				onTheWay(t, "the wizard", walked, want)
				wizardAnswer(t, tm, title, &run)
			}
			if out, exit := tm.waitExit(); exit != 0 || strings.TrimSpace(out) == "" {
				t.Errorf("exit %d, stdout %q", exit, out)
			}
			if !slices.Equal(walked, want) {
				t.Errorf("the wizard walked %q; flow lists %q", walked, want)
			}
		})
	}
}

// headerRE finds the step's title in the wizard's header.
var headerRE = regexp.MustCompile(`(?m)^Step \d+(?: of \d+)? · (.+?)\s*$`)

// wizardStep waits for the wizard to stop at a step after prev, passing over
// those flow does not ask (an issuer given is discovered on its step), and
// returns its title.
func wizardStep(t *testing.T, tm *tmuxTerm, prev string, run flowRun) string {
	t.Helper()
	passing := map[string]bool{}
	for _, s := range run.plan.Steps() {
		if !slices.Contains(run.plan.Asked(), s) {
			passing[s.String()] = true
		}
	}
	deadline := time.Now().Add(max(run.wait, testkit.WaitTimeout))
	for {
		s := tm.screen()
		if m := headerRE.FindAllStringSubmatch(s, -1); m != nil {
			if title := m[len(m)-1][1]; title != prev && !passing[title] {
				return title
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the step after %q; the screen:\n%s", prev, s)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// wizardAnswer does what a person does at the step titled title.
func wizardAnswer(t *testing.T, tm *tmuxTerm, title string, run *flowRun) {
	t.Helper()
	switch {
	case title == flow.Authorize.String() && run.code != nil:
		tm.keys("c")
		run.authURL = tm.clipboard("")
		tm.keys("Enter")
	case title == flow.Authorize.String():
		tm.keys("Enter")
	case title == flow.Code.String() && run.code != nil:
		run.code(t, run.authURL) // the listener takes it
	case title == flow.Device.String():
		run.approve(t, userCodeOnScreen(t, tm))
	case title == flow.Token.String():
		tm.keys("q")
	case title == flow.Scopes.String():
		tm.keys("C-u") // the field holds what discovery found
		fallthrough
	default:
		if v := run.answer[stepOf(t, title)]; v != "" {
			tm.paste(v)
		}
		tm.keys("Enter")
	}
}

// stepOf is the step titled title.
func stepOf(t *testing.T, title string) flow.Step {
	t.Helper()
	for s := range flow.Token + 1 {
		if s.String() == title {
			return s
		}
	}
	t.Fatalf("no step is titled %q", title)
	return 0
}

func TestFlowStepsPlain(t *testing.T) {
	for name, start := range flowCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := start(t)
			want := titles(run.plan.Asked())
			p := startPlainPipe(t, run.args)
			for title := ""; title != flow.Token.String(); {
				title = p.next(t, max(run.wait, testkit.WaitTimeout))
				onTheWay(t, "plain mode", p.headings(), want)
				plainAnswer(t, p, title, run)
			}
			if exit := p.wait(t); exit != 0 || strings.TrimSpace(p.stdout.String()) == "" {
				t.Errorf("exit %d, stdout %q; stderr:\n%s", exit, p.stdout.String(), p.stderr.String())
			}
			if got := p.headings(); !slices.Equal(got, want) {
				t.Errorf("plain mode walked %q; flow lists %q", got, want)
			}
		})
	}
}

// plainAnswer does what a person does at the step titled title.
func plainAnswer(t *testing.T, p *plainPipe, title string, run flowRun) {
	t.Helper()
	switch title {
	case flow.Authorize.String(), flow.Token.String():
	case flow.Code.String():
		if run.code != nil {
			run.code(t, authURLRE.FindString(p.stderr.String()))
			return
		}
		p.line(t, run.answer[flow.Code])
	case flow.Device.String():
		s := p.waitFor(t, "Waiting for approval", run.wait) // after the code
		m := userCodeRE.FindStringSubmatch(afterLast(s, "enter the code:"))
		if m == nil {
			t.Fatalf("no user code on stderr:\n%s", s)
		}
		run.approve(t, m[1])
	default:
		p.line(t, run.answer[stepOf(t, title)])
	}
}

var (
	plainHeadingRE = regexp.MustCompile(`(?m)^Step \d+(?: of \d+)?: (.+)$`)
	authURLRE      = regexp.MustCompile(`(?m)^https?://\S+/auth\?\S+$`)
	userCodeRE     = regexp.MustCompile(`(?m)^ {4}(\S+)$`)
)

// plainPipe is plain mode with real pipes and no terminal: the test types
// on its stdin as the prompts come.
type plainPipe struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser
	stdout, stderr testkit.LockedBuffer
	seen           int // headings taken by next
}

func startPlainPipe(t *testing.T, args []string) *plainPipe {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*deviceWait)
	t.Cleanup(cancel)
	p := &plainPipe{cmd: exec.CommandContext(ctx, nestauthBin, append([]string{"--plain"}, args...)...)}
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = p.stdin.Close()
		_ = p.cmd.Wait()
		if t.Failed() {
			t.Logf("stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

// headings are the titles of the steps plain mode has headed so far.
func (p *plainPipe) headings() []string {
	var h []string
	for _, m := range plainHeadingRE.FindAllStringSubmatch(p.stderr.String(), -1) {
		h = append(h, m[1])
	}
	return h
}

// next waits for the next step's heading and returns its title.
func (p *plainPipe) next(t *testing.T, wait time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(wait)
	for len(p.headings()) <= p.seen {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for step %d; stderr:\n%s", p.seen+1, p.stderr.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	p.seen++
	return p.headings()[p.seen-1]
}

// waitFor waits until stderr holds substr, and returns stderr.
func (p *plainPipe) waitFor(t *testing.T, substr string, wait time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(max(wait, testkit.WaitTimeout))
	for {
		s := p.stderr.String()
		if strings.Contains(s, substr) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q; stderr:\n%s", substr, s)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// line types one line on stdin.
func (p *plainPipe) line(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, s+"\n"); err != nil {
		t.Fatal(err)
	}
}

func (p *plainPipe) wait(t *testing.T) int {
	t.Helper()
	_ = p.stdin.Close()
	if err := p.cmd.Wait(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return p.cmd.ProcessState.ExitCode()
}

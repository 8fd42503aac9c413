package profile_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"nestauth/auth"
	"nestauth/internal/profile"
	"nestauth/internal/profile/profiletest"
)

// saveCustom saves profile name against ts, its access token expiring at expiry.
func saveCustom(t *testing.T, st profile.Store, name string, ts *profiletest.TokenServer, in profile.Backend, expiry time.Time) {
	t.Helper()
	set := profile.SettingsFor(auth.Config{Provider: auth.Custom(), ClientID: ts.ClientID}, in)
	set.AuthURL, set.TokenURL = ts.URL+"/authorize", ts.TokenURL()
	sec := profile.Secrets{ClientSecret: ts.ClientSecret, RefreshToken: ts.Current(), AccessToken: "access-0", TokenType: "Bearer", Expiry: expiry}
	if _, err := st.Save(name, set, sec); err != nil {
		t.Fatal(err)
	}
}

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestTokenCachedMakesNoRequest(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "p", ts, profile.Keyring, now.Add(61*time.Second))
	tok, err := st.Token(context.Background(), "p", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "access-0" || tok.ExpiresIn != 61 || tok.RefreshToken != "refresh-0" {
		t.Errorf("token = %+v", tok)
	}
	if n := ts.Requests(); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

// A token with exactly the asked-for time left is still good.
func TestTokenCachedAtTheLimit(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "p", ts, profile.Keyring, now.Add(time.Minute))
	if _, err := st.Token(context.Background(), "p", time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if n := ts.Requests(); n != 0 {
		t.Errorf("%d requests for a token with a minute left, want none", n)
	}
}

func TestTokenRefreshesOnceAndSaves(t *testing.T) {
	tests := []struct {
		name        string
		rotate      bool
		expiry      time.Time
		wantRefresh string
	}{
		{"expired, rotating", true, now.Add(-time.Hour), "refresh-1"},
		{"too short-lived, rotating", true, now.Add(59 * time.Second), "refresh-1"},
		{"expired, no new refresh token keeps the old", false, now.Add(-time.Hour), "refresh-0"},
		{"no access token yet", true, time.Time{}, "refresh-1"},
	}
	for _, tt := range tests {
		for _, in := range []profile.Backend{profile.Keyring, profile.File} {
			t.Run(tt.name+"/"+in.String(), func(t *testing.T) {
				st, _ := newStore(t)
				ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
				ts.Rotate = tt.rotate
				saveCustom(t, st, "p", ts, in, tt.expiry)
				if tt.expiry.IsZero() { // a profile saved before any token
					p, _ := st.Load("p")
					p.Secrets.AccessToken = ""
					if _, err := st.Save("p", p.Settings, p.Secrets); err != nil {
						t.Fatal(err)
					}
				}
				// auth.Config.Refresh counts expiry from the real clock.
				st.Now = time.Now
				if !tt.expiry.IsZero() {
					st.Now = clock(now)
				}
				tok, err := st.Token(context.Background(), "p", time.Minute, nil)
				if err != nil {
					t.Fatal(err)
				}
				if tok.AccessToken != "access-1" || tok.RefreshToken != tt.wantRefresh {
					t.Errorf("token = %+v", tok)
				}
				if n := ts.Requests(); n != 1 {
					t.Errorf("%d requests, want 1", n)
				}
				p, err := st.Load("p")
				if err != nil {
					t.Fatal(err)
				}
				if p.Secrets.AccessToken != "access-1" || p.Secrets.RefreshToken != tt.wantRefresh || p.Secrets.ClientSecret != "secret" || p.Secrets.Expiry.IsZero() {
					t.Errorf("saved secrets = %+v", p.Secrets)
				}
			})
		}
	}
}

func TestTokenDeadRefreshToken(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "p", ts, profile.Keyring, now.Add(-time.Minute))
	ts.Revoke()
	_, err := st.Token(context.Background(), "p", time.Minute, nil)
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Kind != auth.KindCode || !ae.Refresh || ae.Code != "invalid_grant" {
		t.Fatalf("Token: %#v, want an invalid_grant *auth.Error of kind code", err)
	}
	p, _ := st.Load("p")
	if p.Secrets.RefreshToken != "refresh-0" || p.Secrets.AccessToken != "access-0" {
		t.Errorf("a failed refresh changed the saved secrets: %+v", p.Secrets)
	}
	if got := profile.SignInCommand("p"); got != "nestauth --profile p" {
		t.Errorf("SignInCommand = %q", got)
	}
}

func TestTokenWithoutRefreshToken(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	if _, err := st.Save("p", sdmSettings(), profile.Secrets{ClientSecret: "s", AccessToken: "a", Expiry: now.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	called := false
	_, err := st.Token(context.Background(), "p", time.Minute, func(context.Context, auth.Config, string) (*auth.Token, error) {
		called = true
		return nil, nil
	})
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Kind != auth.KindCode || !errors.Is(err, profile.ErrNoRefreshToken) || called {
		t.Errorf("Token: %v (refresh called: %v), want ErrNoRefreshToken of kind code and no request", err, called)
	}
}

func TestTokenPassesTheProfilesConfig(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	sec := someSecrets()
	sec.Expiry = now.Add(-time.Second)
	if _, err := st.Save("p", sdmSettings(), sec); err != nil {
		t.Fatal(err)
	}
	var got auth.Config
	var gotRT string
	tok, err := st.Token(context.Background(), "p", time.Minute, func(_ context.Context, cfg auth.Config, rt string) (*auth.Token, error) {
		got, gotRT = cfg, rt
		return &auth.Token{AccessToken: "new", ExpiresIn: 3600}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "sdm" || got.ClientID != sdmSettings().ClientID || got.ClientSecret != sec.ClientSecret || got.ProjectID != sdmSettings().ProjectID ||
		got.TokenURL != auth.SDMTokenURL || gotRT != sec.RefreshToken {
		t.Errorf("refresh got %+v with %q", got, gotRT)
	}
	if !tok.Expiry.Equal(now.Add(time.Hour)) || tok.ExpiresIn != 3600 {
		t.Errorf("token = %+v: the expiry counts from the store's clock when the refresh gives only expires_in", tok)
	}
}

// A refresh that says nothing of the token's lifetime leaves its expiry
// unknown: the store does not invent one.
func TestTokenWithoutLifetimeKeepsNoExpiry(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	sec := someSecrets()
	sec.Expiry = now.Add(-time.Second)
	if _, err := st.Save("p", sdmSettings(), sec); err != nil {
		t.Fatal(err)
	}
	tok, err := st.Token(context.Background(), "p", time.Minute, func(context.Context, auth.Config, string) (*auth.Token, error) {
		return &auth.Token{AccessToken: "new"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Expiry.IsZero() {
		t.Errorf("expiry = %v, want none: the answer had no expires_in", tok.Expiry)
	}
}

// TestTokenConcurrentGoroutines: eight callers at once on an expired token
// against a server that rotates refresh tokens: one refresh, no invalid_grant.
func TestTokenConcurrentGoroutines(t *testing.T) {
	st, _ := newStore(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	ts.Delay = 50 * time.Millisecond // without the lock, the others' requests arrive meanwhile
	saveCustom(t, st, "p", ts, profile.Keyring, time.Now().Add(-time.Minute))
	var wg sync.WaitGroup
	start := make(chan struct{})
	toks, errs := make([]*auth.Token, 8), make([]error, 8)
	for i := range toks {
		wg.Go(func() {
			<-start
			toks[i], errs[i] = st.Token(context.Background(), "p", time.Minute, nil)
		})
	}
	close(start)
	wg.Wait()
	for i := range toks {
		if errs[i] != nil || toks[i].AccessToken != "access-1" {
			t.Errorf("caller %d: %+v, %v", i, toks[i], errs[i])
		}
	}
	if n, refused := ts.Requests(), ts.Refused(); n != 1 || refused != 0 {
		t.Errorf("%d requests (%d refused), want exactly one refresh", n, refused)
	}
}

// countingKeyring counts reads, so a test knows when a caller has looked.
type countingKeyring struct {
	*mockKeyring
	gets chan struct{}
}

func (c countingKeyring) Get(service, user string) (string, error) {
	v, err := c.mockKeyring.Get(service, user)
	c.gets <- struct{}{}
	return v, err
}

// TestTokenWaiterReusesTheFreshToken: a caller that waited for another's
// refresh takes its token even when it asked for more than a token lives.
func TestTokenWaiterReusesTheFreshToken(t *testing.T) {
	st, kr := newStore(t)
	gets := make(chan struct{}, 100)
	st.Keyring, st.Now = countingKeyring{kr, gets}, clock(now)
	if _, err := st.Save("p", sdmSettings(), profile.Secrets{RefreshToken: "r", AccessToken: "old", Expiry: now.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error)
	go func() {
		_, err := st.Token(context.Background(), "p", 2*time.Hour, func(context.Context, auth.Config, string) (*auth.Token, error) {
			close(inside)
			<-release
			return &auth.Token{AccessToken: "fresh", RefreshToken: "r2", Expiry: now.Add(time.Hour)}, nil
		})
		holder <- err
	}()
	<-inside
	for len(gets) > 0 { // the holder's reads
		<-gets
	}
	waiter := make(chan *auth.Token)
	go func() {
		tok, err := st.Token(context.Background(), "p", 2*time.Hour, func(context.Context, auth.Config, string) (*auth.Token, error) {
			t.Error("the waiter refreshed too")
			return nil, errors.New("second refresh")
		})
		if err != nil {
			t.Error(err)
		}
		waiter <- tok
	}()
	for range 3 { // the waiter has read the stale token: it waits for the lock now
		<-gets
	}
	close(release)
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	if tok := <-waiter; tok == nil || tok.AccessToken != "fresh" {
		t.Errorf("the waiter got %+v, want the holder's fresh token", tok)
	}
}

// TestTokenConcurrentProcesses: as above, with eight processes sharing the
// settings directory (and the secrets file: the keyring mock lives in one
// process; the real keyring's turn is in ./keyringtest).
func TestTokenConcurrentProcesses(t *testing.T) {
	dir := t.TempDir()
	st := profile.Store{Dir: dir}
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	ts.Delay = 50 * time.Millisecond // without the lock, the others' requests arrive meanwhile
	saveCustom(t, st, "p", ts, profile.File, time.Now().Add(-time.Minute))
	results := profiletest.RunHelpers(t, 8, "TestHelperProcess", "NESTAUTH_CONFIG_DIR="+dir, "HELPER_PROFILE=p")
	for i, r := range results {
		if r.Err != nil || r.Stdout != "access-1\n" {
			t.Errorf("process %d: %v, stdout %q, stderr %q", i, r.Err, r.Stdout, r.Stderr)
		}
	}
	if n, refused := ts.Requests(), ts.Refused(); n != 1 || refused != 0 {
		t.Errorf("%d requests (%d refused), want exactly one refresh", n, refused)
	}
	p, err := st.Load("p")
	if err != nil || p.Secrets.RefreshToken != "refresh-1" || p.Secrets.AccessToken != "access-1" {
		t.Errorf("saved: %+v, %v", p.Secrets, err)
	}
}

// TestHelperProcess is one `nestauth token` run, when RunHelpers starts
// this binary as a helper; otherwise it does nothing.
func TestHelperProcess(t *testing.T) {
	if !profiletest.IsHelper() {
		return
	}
	profiletest.AwaitRelease()
	dir, err := profile.DefaultDir(os.Getenv)
	if err == nil {
		var tok *auth.Token
		tok, err = profile.Store{Dir: dir}.Token(context.Background(), os.Getenv("HELPER_PROFILE"), time.Minute, nil)
		if err == nil {
			fmt.Println(tok.AccessToken)
			os.Exit(0)
		}
	}
	fmt.Fprintln(os.Stderr, strings.TrimSpace(err.Error()))
	os.Exit(1)
}

func TestTokenLockWaitEndsWithTheContext(t *testing.T) {
	st, _ := newStore(t)
	st.Now = clock(now)
	if _, err := st.Save("p", sdmSettings(), profile.Secrets{RefreshToken: "r", AccessToken: "a", Expiry: now}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	inside := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := st.Token(context.Background(), "p", time.Minute, func(context.Context, auth.Config, string) (*auth.Token, error) {
			close(inside)
			<-ctx.Done() // hold the lock until the waiter gave up
			return &auth.Token{AccessToken: "b"}, nil
		})
		done <- err
	}()
	<-inside
	waiterCtx, stop := context.WithCancel(context.Background())
	stop()
	if _, err := st.Token(waiterCtx, "p", time.Minute, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("waiter: %v, want context.Canceled", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("holder: %v", err)
	}
}

// Refresh refreshes a token whose saved expiry is still far off (an API
// refused it); a second caller holding the same dead token gets the first
// one's new token, with no second request.
func TestRefreshForcesOnceForADeadToken(t *testing.T) {
	st, _ := newStore(t)
	ts := profiletest.NewTokenServer(t, "client", "secret", "refresh-0")
	saveCustom(t, st, "p", ts, profile.File, time.Now().Add(time.Hour))
	for range 2 {
		tok, err := st.Refresh(context.Background(), "p", "access-0", nil)
		if err != nil || tok.AccessToken != "access-1" || ts.Requests() != 1 {
			t.Fatalf("Refresh: %+v, %v, %d requests", tok, err, ts.Requests())
		}
	}
	if tok, err := st.Refresh(context.Background(), "p", "", nil); err != nil || tok.AccessToken != "access-2" {
		t.Errorf("Refresh without a dead token: %+v, %v", tok, err)
	}
	if _, err := st.Refresh(context.Background(), "nobody", "", nil); !errors.Is(err, profile.ErrNoProfile) {
		t.Errorf("Refresh of no profile: %v", err)
	}
}

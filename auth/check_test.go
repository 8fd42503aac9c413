package auth_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"nestauth/auth"
)

const (
	testProjectID   = "0a1b2c3d-1234-5678-9abc-0123456789ab"
	testAccessToken = "ya29.ACCESS-token_1"
)

func sdmConfig() auth.Config {
	return auth.Config{Provider: auth.SDM(), ClientID: testClientID, ClientSecret: testClientSecret, ProjectID: testProjectID}
}

func TestCheckSDM(t *testing.T) {
	const devices = `{"devices":[
	 {"name":"enterprises/P/devices/D1","type":"sdm.devices.types.THERMOSTAT",
	  "traits":{"sdm.devices.traits.Info":{"customName":"Hall \u001b[31mway"},"sdm.devices.traits.Humidity":{"ambientHumidityPercent":40}},
	  "parentRelations":[{"parent":"enterprises/P/structures/S/rooms/R","displayName":"Living Room"}]},
	 {"name":"enterprises/P/devices/D2","type":"sdm.devices.types.CAMERA","traits":{"sdm.devices.traits.Info":{"customName":""}},"parentRelations":[]}
	]}`
	tests := []struct {
		name        string
		body        string
		wantDevices []auth.Device
		wantNote    string
	}{
		{
			name: "devices with type, name and room",
			body: devices,
			wantDevices: []auth.Device{
				{Type: "THERMOSTAT", Name: "Hall way", Room: "Living Room"},
				{Type: "CAMERA"},
			},
		},
		{name: "nothing shared: {}", body: `{}`, wantNote: auth.EmptySDMNote},
		{name: "nothing shared: empty list", body: `{"devices":[]}`, wantNote: auth.EmptySDMNote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPIServer(t, replyJSON(http.StatusOK, tt.body))
			res, err := check(context.Background(), sdmConfig(), endpoints{APIURL: api.URL}, testAccessToken)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			reqs := api.Requests()
			if len(reqs) != 1 {
				t.Fatalf("the API got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodGet || r.Path != "/v1/enterprises/"+testProjectID+"/devices" || r.Authorization != "Bearer "+testAccessToken {
				t.Errorf("request = %s %s %q, want GET /v1/enterprises/%s/devices with the bearer token", r.Method, r.Path, r.Authorization, testProjectID)
			}
			if !reflect.DeepEqual(res.Devices, tt.wantDevices) {
				t.Errorf("Devices = %#v, want %#v", res.Devices, tt.wantDevices)
			}
			if res.Note != tt.wantNote {
				t.Errorf("Note = %q, want %q", res.Note, tt.wantNote)
			}
			if tt.wantNote != "" && !strings.Contains(strings.Join(res.Lines(), "\n"), "nestservices.google.com/partnerconnections") {
				t.Errorf("Lines() = %q, want the Partner Connections Manager named", res.Lines())
			}
		})
	}
}

func TestCheckSDMLines(t *testing.T) {
	r := &auth.CheckResult{Status: 200, Devices: []auth.Device{{Type: "THERMOSTAT", Name: "Hallway", Room: "Living Room"}, {Type: "CAMERA"}}}
	want := []string{"THERMOSTAT  Hallway  (Living Room)", "CAMERA"}
	if got := r.Lines(); !reflect.DeepEqual(got, want) {
		t.Errorf("Lines() = %q, want %q", got, want)
	}
}

func TestCheckLinesWithoutDevices(t *testing.T) {
	if got, want := (&auth.CheckResult{Status: 200}).Lines(), []string{"HTTP 200"}; !reflect.DeepEqual(got, want) {
		t.Errorf("nothing to show: Lines() = %q, want %q", got, want)
	}
	if got, want := (&auth.CheckResult{Status: 200, Note: "No device."}).Lines(), []string{"No device."}; !reflect.DeepEqual(got, want) {
		t.Errorf("a note alone: Lines() = %q, want %q", got, want)
	}
}

func TestCheckNestLinesNameTheHomes(t *testing.T) {
	r := &auth.CheckResult{Status: 200, Structures: []string{"Cabin", "Home"}, Devices: []auth.Device{{Type: "THERMOSTAT", Name: "Hallway"}}}
	want := []string{"Homes: Cabin, Home", "THERMOSTAT  Hallway"}
	if got := r.Lines(); !reflect.DeepEqual(got, want) {
		t.Errorf("Lines() = %q, want %q", got, want)
	}
}

func TestCheckRefused(t *testing.T) {
	googleErr := func(code int, status, msg string) string {
		return fmt.Sprintf(`{"error":{"code":%d,"message":%q,"status":%q}}`, code, msg, status)
	}
	tests := []struct {
		name        string
		cfg         auth.Config
		status      int
		body        string
		wantKind    auth.Kind
		wantStatus  string
		wantAdvice  string
		wantInText  string
		wantMessage string // the server's message as read, when set
	}{
		{
			name: "sdm 401: expired", cfg: sdmConfig(), status: 401,
			body:     googleErr(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Token "+testAccessToken),
			wantKind: auth.KindCode, wantStatus: "UNAUTHENTICATED", wantAdvice: "expired",
			wantInText: "Request had invalid authentication credentials",
		},
		{
			name: "sdm 403: another project or no scope", cfg: sdmConfig(), status: 403,
			body:     googleErr(403, "PERMISSION_DENIED", "The caller does not have permission"),
			wantKind: auth.KindScope, wantStatus: "PERMISSION_DENIED", wantAdvice: "sdm.service",
			wantInText: "The caller does not have permission",
		},
		{
			name: "sdm 404: wrong project", cfg: sdmConfig(), status: 404,
			body:     googleErr(404, "NOT_FOUND", "Enterprise enterprises/x not found."),
			wantKind: auth.KindRequest, wantStatus: "NOT_FOUND", wantAdvice: "project ID",
			wantInText: "not found",
		},
		{
			name: "sdm 500 HTML", cfg: sdmConfig(), status: 500,
			body:     "<html><body>Internal \x1b]0;title\x07error</body></html>",
			wantKind: auth.KindServer, wantAdvice: "try again", wantInText: "Internal",
		},
		{
			name: "nest 401", cfg: auth.Config{Provider: auth.Nest()}, status: 401,
			body:     `{"error":"unauthorized","type":"https://developer.nest.com/documentation/cloud/error-messages#auth-error","message":"unauthorized","instance":"x"}`,
			wantKind: auth.KindCode, wantStatus: "unauthorized", wantAdvice: "revoked",
			wantInText: "unauthorized",
		},
		{
			name: "custom 403", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":"insufficient_scope","error_description":"needs openid"}`,
			wantKind: auth.KindScope, wantStatus: "insufficient_scope", wantAdvice: "scope",
			wantInText: "needs openid",
		},
		{
			// Dex: a 403 at userinfo for a token it cannot verify.
			name: "custom 403 access_denied: token expired (Dex)", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":"access_denied","error_description":"oidc: token is expired (Token Expiry: 2030-01-02 03:04:05 +0000 UTC)"}`,
			wantKind: auth.KindCode, wantStatus: "access_denied", wantAdvice: "did not accept the access token",
			wantInText: "token is expired",
		},
		{
			name: "custom 403 access_denied: malformed jwt (Dex)", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":"access_denied","error_description":"oidc: malformed jwt: oidc: malformed jwt, expected 3 parts got 1"}`,
			wantKind: auth.KindCode, wantStatus: "access_denied", wantAdvice: "did not accept the access token",
			wantInText: "malformed jwt",
		},
		{
			name: "custom 403 access_denied: invalid token", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":"access_denied","error_description":"Invalid token."}`,
			wantKind: auth.KindCode, wantStatus: "access_denied", wantAdvice: "did not accept the access token",
			wantInText: "Invalid token",
		},
		{
			name: "sdm 403 saying the token is invalid", cfg: sdmConfig(), status: 403,
			body:     googleErr(403, "PERMISSION_DENIED", "The access token is invalid."),
			wantKind: auth.KindCode, wantStatus: "PERMISSION_DENIED", wantAdvice: "Google did not accept the access token",
			wantInText: "The access token is invalid",
		},
		{
			name: "custom 403 about a scope stays a scope answer", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":"insufficient_scope","error_description":"The access token is invalid for this scope: needs openid"}`,
			wantKind: auth.KindScope, wantStatus: "insufficient_scope", wantAdvice: "scope",
			wantInText: "needs openid",
		},
		{
			name: "custom 403 access_denied without a word on the token", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":"access_denied","error_description":"The user may not read this resource."}`,
			wantKind: auth.KindScope, wantStatus: "access_denied", wantAdvice: "lacks a scope or a permission",
			wantInText: "may not read",
		},
		{
			name: "custom 403, Google's shape with a message alone", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":{"message":"Quota exceeded"}}`,
			wantKind: auth.KindScope, wantAdvice: "lacks a scope or a permission", wantInText: "Quota exceeded", wantMessage: "Quota exceeded",
		},
		{
			name: "custom 403, Google's shape with a status alone", cfg: auth.Config{Provider: auth.Custom()}, status: 403,
			body:     `{"error":{"status":"PERMISSION_DENIED"}}`,
			wantKind: auth.KindScope, wantStatus: "PERMISSION_DENIED", wantAdvice: "lacks a scope or a permission", wantInText: "PERMISSION_DENIED",
		},
		{
			name: "custom 400 with an OAuth error code alone", cfg: auth.Config{Provider: auth.Custom()}, status: 400,
			body:     `{"error":"invalid_request"}`,
			wantKind: auth.KindRequest, wantStatus: "invalid_request", wantAdvice: "called the request malformed", wantInText: "invalid_request",
		},
		{
			name: "custom 418 with a message alone", cfg: auth.Config{Provider: auth.Custom()}, status: 418,
			body:     `{"message":"short and stout"}`,
			wantKind: auth.KindRequest, wantAdvice: "called the request malformed", wantInText: "short and stout", wantMessage: "short and stout",
		},
		{
			// The token starts 10 bytes before where the message used to be
			// cut (4*300 bytes), ahead of redaction.
			name: "custom 401: token at the old cut", cfg: auth.Config{Provider: auth.Custom()}, status: 401,
			body:     `{"error":"invalid_token","error_description":"bad token:` + strings.Repeat(" ", 1180) + testAccessToken + `"}`,
			wantKind: auth.KindCode, wantStatus: "invalid_token", wantAdvice: "expired",
			wantInText: "bad token:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPIServer(t, replyJSON(tt.status, tt.body))
			ep := endpoints{APIURL: api.URL, CheckURL: api.URL + "/userinfo"}
			res, err := check(context.Background(), tt.cfg, ep, testAccessToken)
			if err == nil {
				t.Fatalf("Check = %+v, want an error", res)
			}
			var e *auth.Error
			if !errors.As(err, &e) || e.Kind != tt.wantKind || e.Status != tt.status {
				t.Fatalf("error = %#v, want kind %v, status %d", err, tt.wantKind, tt.status)
			}
			var ae *auth.APIError
			if !errors.As(err, &ae) || ae.Status != tt.wantStatus {
				t.Errorf("APIError = %#v, want status %q", ae, tt.wantStatus)
			}
			if tt.wantMessage != "" && (ae == nil || ae.Message != tt.wantMessage) {
				t.Errorf("APIError = %#v, want message %q", ae, tt.wantMessage)
			}
			if got := auth.Advice(err); !strings.Contains(got, tt.wantAdvice) {
				t.Errorf("Advice = %q, want it to contain %q", got, tt.wantAdvice)
			}
			text := err.Error()
			if !strings.Contains(text, tt.wantInText) {
				t.Errorf("error text %q lacks %q", text, tt.wantInText)
			}
			if strings.Contains(text, testAccessToken[:6]) || strings.ContainsAny(text, "\x1b\x07") {
				t.Errorf("error text %q shows (part of) the token or a control character", text)
			}
		})
	}
}

// nestData is a Works with Nest API root, trimmed.
const nestData = `{"devices":{"thermostats":{"T1":{"name":"Hallway","name_long":"Hallway Thermostat (Upstairs)","where_name":"Upstairs"}},
 "smoke_co_alarms":{"S1":{"name_long":"Kitchen Nest Protect","where_name":"Kitchen"}}},
 "structures":{"ST1":{"name":"Home"},"ST2":{"name":"Cabin"}},"metadata":{"access_token":"c.x"}}`

func TestCheckNestFollowsItsRedirectWithTheToken(t *testing.T) {
	user := newAPIServer(t, replyJSON(http.StatusOK, nestData))
	api := newAPIServer(t, redirectTo(user.URL+"/?auth=1"))
	cfg := auth.Config{Provider: auth.Nest()}
	res, err := check(context.Background(), cfg, endpoints{APIURL: api.URL}, testAccessToken)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	for name, s := range map[string]*apiServer{"API": api, "per-user host": user} {
		reqs := s.Requests()
		if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/" || reqs[0].Authorization != "Bearer "+testAccessToken {
			t.Errorf("the %s got %+v, want one GET / with the bearer token", name, reqs)
		}
	}
	if res.Via != user.URL {
		t.Errorf("Via = %q, want %q", res.Via, user.URL)
	}
	wantDevices := []auth.Device{
		{Type: "SMOKE_CO_ALARM", Name: "Kitchen Nest Protect", Room: "Kitchen"},
		{Type: "THERMOSTAT", Name: "Hallway", Room: "Upstairs"},
	}
	if !reflect.DeepEqual(res.Devices, wantDevices) || !reflect.DeepEqual(res.Structures, []string{"Cabin", "Home"}) {
		t.Errorf("result = %+v, want devices %+v and homes Cabin, Home", res, wantDevices)
	}
	if res.Note != "" {
		t.Errorf("Note = %q, want none", res.Note)
	}
}

func TestCheckNestRedirectLimits(t *testing.T) {
	tests := []struct {
		name string
		// build returns the API's URL; foreign is a host that must never be reached.
		build        func(t *testing.T, foreign *apiServer) string
		wantErr      string
		wantRequests int // at the foreign host
	}{
		{
			name: "the per-user host redirects to a foreign host",
			build: func(t *testing.T, foreign *apiServer) string {
				user := newAPIServer(t, redirectTo(foreign.URL+"/steal"))
				return newAPIServer(t, redirectTo(user.URL+"/")).URL
			},
			wantErr: "another host",
		},
		{
			name: "a redirect to plain http off this machine",
			build: func(t *testing.T, foreign *apiServer) string {
				return newAPIServer(t, redirectTo("http://nest.example/")).URL
			},
			wantErr: "neither https nor on this machine",
		},
		{
			name: "endless redirects on the per-user host",
			build: func(t *testing.T, foreign *apiServer) string {
				var user *apiServer
				user = newAPIServer(t, func(w http.ResponseWriter, r *http.Request) { redirectTo(user.URL+"/again")(w, r) })
				return newAPIServer(t, redirectTo(user.URL+"/")).URL
			},
			wantErr: "more than 3 times",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			foreign := newAPIServer(t, replyJSON(http.StatusOK, nestData))
			apiURL := tt.build(t, foreign)
			_, err := check(context.Background(), auth.Config{Provider: auth.Nest()}, endpoints{APIURL: apiURL}, testAccessToken)
			if auth.ErrorKind(err) != auth.KindServer || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want a server error saying %q", err, tt.wantErr)
			}
			if n := len(foreign.Requests()); n != 0 {
				t.Errorf("the foreign host got %d requests, want none", n)
			}
		})
	}
}

func TestCheckNestSameHostRedirect(t *testing.T) {
	var user *apiServer
	user = newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			redirectTo(user.URL+"/v2")(w, r)
			return
		}
		replyJSON(http.StatusOK, `{}`)(w, r)
	})
	api := newAPIServer(t, redirectTo(user.URL+"/"))
	res, err := check(context.Background(), auth.Config{Provider: auth.Nest()}, endpoints{APIURL: api.URL}, testAccessToken)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	reqs := user.Requests()
	if len(reqs) != 2 || reqs[1].Path != "/v2" || reqs[1].Authorization != "Bearer "+testAccessToken {
		t.Errorf("the per-user host got %+v, want / then /v2, both with the token", reqs)
	}
	if res.Note != auth.EmptyNestNote {
		t.Errorf("Note = %q, want the empty-Nest note", res.Note)
	}
}

func TestCheckFollowsNoRedirectForSDMAndCustom(t *testing.T) {
	for _, cfg := range []auth.Config{sdmConfig(), {Provider: auth.Custom()}} {
		t.Run(cfg.ID, func(t *testing.T) {
			elsewhere := newAPIServer(t, replyJSON(http.StatusOK, `{}`))
			api := newAPIServer(t, redirectTo(elsewhere.URL+"/"))
			_, err := check(context.Background(), cfg, endpoints{APIURL: api.URL, CheckURL: api.URL}, testAccessToken)
			if auth.ErrorKind(err) != auth.KindServer || !strings.Contains(err.Error(), "redirects to "+elsewhere.URL) {
				t.Errorf("error = %v, want a server error naming the redirect", err)
			}
			if n := len(elsewhere.Requests()); n != 0 {
				t.Errorf("the redirect target got %d requests, want none", n)
			}
		})
	}
}

func TestCheckCustom(t *testing.T) {
	api := newAPIServer(t, replyJSON(http.StatusOK, `{"sub":"248289761001","name":"Jane \u202eDoe","echo":"`+testAccessToken+`"}`))
	cfg := auth.Config{Provider: auth.Custom(), ClientSecret: testClientSecret}
	res, err := check(context.Background(), cfg, endpoints{CheckURL: api.URL + "/userinfo?alt=json"}, testAccessToken)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	reqs := api.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/userinfo" || reqs[0].Authorization != "Bearer "+testAccessToken {
		t.Errorf("requests = %+v, want one GET /userinfo with the bearer token", reqs)
	}
	if res.Status != 200 || !strings.Contains(res.Excerpt, `"sub":"248289761001"`) || strings.Contains(res.Excerpt, testAccessToken) || strings.ContainsRune(res.Excerpt, '\u202e') {
		t.Errorf("result = %+v, want status 200 and a cleaned excerpt without the token", res)
	}
	if got := res.Lines(); len(got) != 1 || !strings.HasPrefix(got[0], "HTTP 200: ") {
		t.Errorf("Lines() = %q", got)
	}
}

func TestCheckUsage(t *testing.T) {
	tests := []struct {
		name  string
		cfg   auth.Config
		ep    endpoints
		token string
		want  error
	}{
		{name: "custom without a check URL", cfg: auth.Config{Provider: auth.Custom()}, token: "t0ken", want: auth.ErrNoCheckURL},
		{name: "no token", cfg: sdmConfig(), want: auth.ErrNoAccessToken},
		{name: "a newline in the token", cfg: sdmConfig(), token: "abc\r\nX-Evil: 1", want: auth.ErrBadToken},
		{name: "cloud project ID", cfg: auth.Config{Provider: auth.SDM(), ProjectID: "my-project-123456"}, token: "t0ken", want: auth.ErrCloudProjectID},
		{name: "plain http API off this machine", cfg: sdmConfig(), ep: endpoints{APIURL: "http://sdm.example"}, token: "t0ken", want: auth.ErrInsecureURL},
		{name: "plain http check URL", cfg: auth.Config{Provider: auth.Custom()}, ep: endpoints{CheckURL: "http://api.example/me"}, token: "t0ken", want: auth.ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := check(context.Background(), tt.cfg, tt.ep, tt.token)
			if auth.ErrorKind(err) != auth.KindUsage || !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want a usage error wrapping %v", err, tt.want)
			}
		})
	}
}

func TestCheckConnectionResetMidBody(t *testing.T) {
	api := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"devices":[`))
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.(*net.TCPConn).SetLinger(0) // a reset, as a dropped network gives, not a clean end
		_ = conn.Close()
	})
	_, err := check(context.Background(), sdmConfig(), endpoints{APIURL: api.URL}, testAccessToken)
	var e *auth.Error
	if !errors.As(err, &e) || e.Kind != auth.KindNetwork || e.Status != 200 || !strings.Contains(e.Error(), "connection broke while the answer was read") {
		t.Errorf("error = %v; want a network error, status 200, saying the connection broke", err)
	}
}

func TestCheckNoAnswer(t *testing.T) {
	api := newAPIServer(t, nil)
	url := api.URL
	api.Close()
	_, err := check(context.Background(), sdmConfig(), endpoints{APIURL: url}, testAccessToken)
	if auth.ErrorKind(err) != auth.KindNetwork {
		t.Errorf("closed server: error = %v, want a network error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	live := newAPIServer(t, replyJSON(http.StatusOK, `{}`))
	_, err = check(ctx, sdmConfig(), endpoints{APIURL: live.URL}, testAccessToken)
	if auth.ErrorKind(err) != auth.KindCanceled {
		t.Errorf("canceled: error = %v, want KindCanceled", err)
	}
}

func TestCheckHugeOrBadAnswer(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{name: "over 1 MiB", body: `{"devices":[` + strings.Repeat(" ", 1<<20) + `]}`, want: "larger than 1 MiB"},
		{name: "not JSON", body: `<html>hello</html>`, want: "not with the JSON"},
	}
	t.Run("exactly 1 MiB is whole", func(t *testing.T) {
		body := `{"devices":[]` + strings.Repeat(" ", 1<<20-len(`{"devices":[]}`)) + `}`
		api := newAPIServer(t, replyJSON(http.StatusOK, body))
		if res, err := check(context.Background(), sdmConfig(), endpoints{APIURL: api.URL}, testAccessToken); err != nil {
			t.Errorf("Check of a %d-byte answer = %+v, %v; want it read", len(body), res, err)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPIServer(t, replyJSON(http.StatusOK, tt.body))
			_, err := check(context.Background(), sdmConfig(), endpoints{APIURL: api.URL}, testAccessToken)
			if auth.ErrorKind(err) != auth.KindServer || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want a server error saying %q", err, tt.want)
			}
		})
	}
}

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		cfg  auth.Config
		ep   endpoints
		want string
	}{
		{sdmConfig(), endpoints{}, "https://smartdevicemanagement.googleapis.com/v1/enterprises/" + testProjectID + "/devices"},
		{sdmConfig(), endpoints{APIURL: "http://127.0.0.1:9/proxy/"}, "http://127.0.0.1:9/proxy/v1/enterprises/" + testProjectID + "/devices"},
		{auth.Config{Provider: auth.Nest()}, endpoints{}, "https://developer-api.nest.com/"},
		{auth.Config{Provider: auth.Custom()}, endpoints{CheckURL: "https://id.example/userinfo"}, "https://id.example/userinfo"},
	}
	for _, tt := range tests {
		got, err := tt.ep.apply(tt.cfg).CheckTarget()
		if err != nil || got != tt.want {
			t.Errorf("CheckTarget(%s, %+v) = %q, %v; want %q", tt.cfg.ID, tt.ep, got, err, tt.want)
		}
	}
}

// endpoints are the --api-url, --check-url and --revoke-url overrides.
type endpoints struct{ APIURL, CheckURL, RevokeURL string }

func (ep endpoints) apply(cfg auth.Config) auth.Config {
	cfg.APIURL = cmp.Or(ep.APIURL, cfg.APIURL)
	cfg.CheckURL = cmp.Or(ep.CheckURL, cfg.CheckURL)
	cfg.RevokeURL = cmp.Or(ep.RevokeURL, cfg.RevokeURL)
	return cfg
}

func check(ctx context.Context, cfg auth.Config, ep endpoints, token string) (*auth.CheckResult, error) {
	return auth.Check(ctx, ep.apply(cfg), token)
}

func revoke(ctx context.Context, cfg auth.Config, ep endpoints, tok *auth.Token) error {
	return auth.Revoke(ctx, ep.apply(cfg), tok)
}

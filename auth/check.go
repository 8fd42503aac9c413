package auth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// CheckResult is what one API call with a token reached.
type CheckResult struct {
	URL        string   // what was called
	Via        string   // nest: the per-user origin the API redirected the token to
	Status     int      // the HTTP status of the answer
	Devices    []Device // sdm and nest
	Structures []string // nest: the homes the token sees
	Excerpt    string   // custom: the start of the answer, cleaned
	// Note says in words why a successful answer lists nothing, and how to
	// fix it. An empty device list is still a working token.
	Note string
}

// Device is one device the token reaches.
type Device struct {
	Type string // THERMOSTAT, CAMERA, DOORBELL, DISPLAY, SMOKE_CO_ALARM…
	Name string // the name the person gave it; may be empty
	Room string // the room it is in; may be empty
}

// Lines says r to a person, one line each, ready to print.
func (r *CheckResult) Lines() []string {
	var lines []string
	if len(r.Structures) > 0 {
		lines = append(lines, "Homes: "+strings.Join(r.Structures, ", "))
	}
	for _, d := range r.Devices {
		line := d.Type
		if d.Name != "" {
			line += "  " + d.Name
		}
		if d.Room != "" {
			line += "  (" + d.Room + ")"
		}
		lines = append(lines, line)
	}
	if r.Excerpt != "" {
		lines = append(lines, fmt.Sprintf("HTTP %d: %s", r.Status, r.Excerpt))
	} else if len(lines) == 0 && r.Note == "" {
		lines = append(lines, fmt.Sprintf("HTTP %d", r.Status))
	}
	if r.Note != "" {
		lines = append(lines, r.Note)
	}
	return lines
}

// EmptySDMNote is the Note of a Device Access answer that lists no device.
const EmptySDMNote = "Google answered, but the token reaches no device: none was shared on Google's permission screen. " +
	"Open the Partner Connections Manager (" + PartnerConnectionsURL + "), choose this project, " +
	"and turn on the devices (and the home) to share; or authorize again and select them on the permission screen."

// EmptyNestNote is the Note of a Works with Nest answer that lists nothing.
const EmptyNestNote = "Nest answered, but the token reaches no home and no device: the account shared none, " +
	"or the client's permissions cover none of them."

// maxAPIRedirects bounds the redirects the token follows (Nest's API makes one).
const maxAPIRedirects = 3

// CheckTarget is the URL that Check calls with the token: the device list
// (sdm), the API root (nest), or the check URL (custom).
func (cfg Config) CheckTarget() (string, error) {
	u, err := cfg.checkTarget()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

func (cfg Config) checkTarget() (*url.URL, error) {
	switch cfg.ID {
	case "sdm":
		if err := checkProjectID(cfg.ProjectID); err != nil {
			return nil, err
		}
		base, err := endpoint(cfg.APIURL, SDMAPIURL, nil)
		if err != nil {
			return nil, err
		}
		return base.JoinPath("v1", "enterprises", cfg.ProjectID, "devices"), nil
	case "nest":
		base, err := endpoint(cfg.APIURL, NestAPIURL, nil)
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(base.Path, "/") {
			base.Path += "/"
		}
		return base, nil
	}
	return endpoint(cfg.CheckURL, "", ErrNoCheckURL)
}

// Check proves that accessToken works with one GET to the provider's API and
// says what it reaches. sdm lists the devices of the project; nest reads the
// API root, following its redirect to a per-user host with the token (to
// that host only); any other provider calls cfg.CheckURL. Errors are *Error: KindUsage
// before anything is sent; KindCode when the token is refused (401, or a
// 403 whose words say the token is invalid, malformed or expired); KindScope
// (403) or KindRequest (404, 4xx) when the client, its permissions or the
// project are wrong; KindNetwork and KindServer otherwise. A refusal carries
// an *APIError with the server's words and Advice.
func Check(ctx context.Context, cfg Config, accessToken string) (*CheckResult, error) {
	target, err := cfg.checkTarget()
	switch {
	case err != nil:
		return nil, &Error{Kind: KindUsage, Err: err}
	case accessToken == "":
		return nil, &Error{Kind: KindUsage, Err: ErrNoAccessToken}
	case !printableASCII(accessToken):
		return nil, &Error{Kind: KindUsage, Err: ErrBadToken}
	}
	red := newRedactor(cfg.ClientID, cfg.ClientSecret, accessToken)
	a, via, err := getFollowing(ctx, apiClient(cfg), target, accessToken, red, cfg.ID == "nest")
	if err != nil {
		return nil, err
	}
	status := a.resp.StatusCode
	if !is2xx(status) {
		meant := status
		if status == http.StatusForbidden && a.whole {
			if code, message, ok := serverText(a.body); ok && badToken(code, message) {
				meant = http.StatusUnauthorized // Dex: 403 access_denied "oidc: token is expired"
			}
		}
		return nil, refusal(a, red, statusKind(meant), checkAdvice(cfg.ID, meant))
	}
	r := &CheckResult{URL: target.String(), Via: via, Status: status}
	switch cfg.ID {
	case "sdm":
		err = r.readSDM(a, red)
	case "nest":
		err = r.readNest(a, red)
	default:
		r.Excerpt = red.excerpt(a.body)
	}
	if err != nil {
		return nil, &Error{Kind: KindServer, Status: status, Err: err, Excerpt: red.excerpt(a.body)}
	}
	return r, nil
}

// getFollowing sends a GET with the token. With follow, it follows up to
// maxAPIRedirects redirects with the token, which Go's client would drop: only
// to the origin the first redirect names, and only over https or loopback.
// via is that origin.
func getFollowing(ctx context.Context, hc *http.Client, u *url.URL, token string, red redactor, follow bool) (a *apiAnswer, via string, err error) {
	for hops := 0; ; hops++ {
		req, err := http.NewRequest(http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, via, &Error{Kind: KindUsage, Err: err}
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		a, err := send(ctx, hc, req, red)
		if err != nil {
			return nil, via, err
		}
		loc := a.resp.Header.Get("Location")
		if !follow || !isRedirect(a.resp.StatusCode) || loc == "" {
			return a, via, nil
		}
		next, err := u.Parse(loc)
		refuse := func(why string) (*apiAnswer, string, error) {
			return nil, via, &Error{Kind: KindServer, Status: a.resp.StatusCode,
				Err: &APIError{Message: red.clean(why, maxAPIMessage),
					Advice: "nestauth sends the token only over https (or to this machine), and only to the host the API's first redirect names."}}
		}
		switch {
		case err != nil:
			return refuse(fmt.Sprintf("the API redirects to a malformed URL %q", loc))
		case hops == maxAPIRedirects:
			return refuse(fmt.Sprintf("the API redirected more than %d times", maxAPIRedirects))
		case ValidateEndpoint(next.String()) != nil:
			return refuse("the API redirects to " + next.Redacted() + ", which is neither https nor on this machine: the token does not follow")
		case via == "":
			via = origin(next)
		case origin(next) != via:
			return refuse("the API redirected from " + via + " on to another host, " + origin(next) + ": the token does not follow")
		}
		u = next
	}
}

// origin is a URL's scheme and host (with the port).
func origin(u *url.URL) string { return u.Scheme + "://" + strings.ToLower(u.Host) }

func (r *CheckResult) readSDM(a *apiAnswer, red redactor) error {
	var list struct {
		Devices []struct {
			Type   string
			Traits map[string]json.RawMessage
			// ParentRelations name the room: "enterprises/P/structures/S/rooms/R".
			ParentRelations []struct{ DisplayName string }
		}
	}
	if err := decodeJSON(a, &list); err != nil {
		return err
	}
	for _, d := range list.Devices {
		var info struct{ CustomName string }
		_ = json.Unmarshal(d.Traits["sdm.devices.traits.Info"], &info)
		dev := Device{
			Type: red.clean(strings.TrimPrefix(d.Type, "sdm.devices.types."), maxName),
			Name: red.clean(info.CustomName, maxName),
		}
		if len(d.ParentRelations) > 0 {
			dev.Room = red.clean(d.ParentRelations[0].DisplayName, maxName)
		}
		if dev.Type == "" {
			dev.Type = "DEVICE"
		}
		r.Devices = append(r.Devices, dev)
	}
	if len(r.Devices) == 0 {
		r.Note = EmptySDMNote
	}
	return nil
}

// nestDevice is one device in Works with Nest's data model.
type nestDevice struct {
	Name      string
	NameLong  string `json:"name_long"`
	WhereName string `json:"where_name"`
}

func (r *CheckResult) readNest(a *apiAnswer, red redactor) error {
	var root struct {
		Devices struct {
			Thermostats   map[string]nestDevice
			Cameras       map[string]nestDevice
			SmokeCOAlarms map[string]nestDevice `json:"smoke_co_alarms"`
		}
		Structures map[string]struct{ Name string }
	}
	if err := decodeJSON(a, &root); err != nil {
		return err
	}
	for _, s := range root.Structures {
		r.Structures = append(r.Structures, red.clean(s.Name, maxName))
	}
	slices.Sort(r.Structures)
	for typ, devices := range map[string]map[string]nestDevice{
		"THERMOSTAT": root.Devices.Thermostats, "CAMERA": root.Devices.Cameras, "SMOKE_CO_ALARM": root.Devices.SmokeCOAlarms,
	} {
		for _, d := range devices {
			r.Devices = append(r.Devices, Device{Type: typ,
				Name: red.clean(cmp.Or(d.Name, d.NameLong), maxName), Room: red.clean(d.WhereName, maxName)})
		}
	}
	slices.SortFunc(r.Devices, func(a, b Device) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Room, b.Room))
	})
	if len(r.Devices) == 0 && len(r.Structures) == 0 {
		r.Note = EmptyNestNote
	}
	return nil
}

var errNotJSON = errors.New("the API answered, but not with the JSON it sends")

func decodeJSON(a *apiAnswer, v any) error {
	if !a.whole {
		return errors.New("the answer is larger than 1 MiB")
	}
	if err := json.Unmarshal(a.body, v); err != nil {
		return errNotJSON
	}
	return nil
}

// checkAdvice says what a refused check means for the provider.
func checkAdvice(provider string, status int) string {
	switch provider {
	case "sdm":
		switch status {
		case http.StatusUnauthorized:
			return "Google did not accept the access token: it has expired (they last an hour: refresh it, or run the wizard again) or it is not a whole access token."
		case http.StatusForbidden:
			return "Google refused the token for this project: it was issued to another project's OAuth client, or without the scope " + SDMScope +
				". Check that the project ID is the Device Access project of this OAuth client, and authorize again."
		case http.StatusNotFound:
			return "Google knows no Device Access project with this ID: copy the project ID (a UUID) from the Device Access Console, not the Google Cloud project ID."
		case http.StatusTooManyRequests:
			return "Google's rate limit was hit: wait a minute and try again."
		}
	case "nest":
		switch status {
		case http.StatusUnauthorized:
			return "Nest did not accept the access token: it was revoked, or it is not a Works with Nest token (the service was shut down in 2023)."
		case http.StatusForbidden:
			return "Nest refused the token: the client's permissions do not cover this data."
		}
	default:
		switch status {
		case http.StatusUnauthorized:
			return "The server did not accept the access token: it has expired or been revoked, or it is not a token for this API."
		case http.StatusForbidden:
			return "The server refused the token: it lacks a scope or a permission this URL needs."
		case http.StatusNotFound:
			return "The check URL does not exist: check --check-url."
		}
	}
	if status >= 500 || status < 400 {
		return "The API failed: wait a moment and try again."
	}
	return "The API called the request malformed: check the URL and the project."
}

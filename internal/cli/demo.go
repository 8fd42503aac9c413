package cli

import (
	"errors"
	"strings"
	"time"

	"nestauth/auth"
	"nestauth/auth/fakenest"
	"nestauth/ui"
)

// Demo credentials for the built-in servers; they open nothing real.
const (
	demoClientID     = "nestauth-demo"
	demoClientSecret = "demo-secret-not-real"
	// demoProjectID is the demo's Device Access project (a UUID, as Google's are).
	demoProjectID = "5e1f0d3a-7c2b-4e9a-8d61-2b4f9c0a7e13"
	// demoLatency is how long the Device Access demo's token endpoint takes,
	// about as long as Google's does from afar: the spinner shows while it waits.
	demoLatency = 600 * time.Millisecond
)

// demo is --demo's pair of servers on this machine: Device Access (sdm)
// and Works with Nest, each for the demo client.
type demo struct {
	sdm  *fakenest.SDM
	nest *fakenest.Server
}

// startDemo starts both servers and points the providers o offers (sdm and
// nest, or the one --provider chose) at them, with the demo's credentials
// filled in and its a key approving as the demo user.
func startDemo(uo *ui.Options) (*demo, error) {
	d := &demo{sdm: fakenest.NewSDM(demoClientID, demoClientSecret, demoProjectID), nest: fakenest.New(demoClientID, demoClientSecret)}
	d.sdm.Latency = demoLatency
	if err := d.sdm.Start(); err != nil {
		return nil, err
	}
	if err := d.nest.Start(); err != nil {
		_ = d.sdm.Close()
		return nil, err
	}
	for i, p := range uo.Providers {
		switch p.ID {
		case "sdm":
			p.Name = "Google Nest Device Access (demo server on this machine)"
			p.AuthURL, p.TokenURL = d.sdm.AuthURL(), d.sdm.TokenURL()
			p.APIURL, p.RevokeURL = d.sdm.APIURL(), d.sdm.RevokeURL()
		case "nest":
			p.Name = "Works with Nest (demo server on this machine)"
			p.AuthURL, p.TokenURL = d.nest.AuthURL(), d.nest.TokenURL()
			p.APIURL, p.RevokeURL = d.nest.APIURL(), d.nest.RevokeURL()
		}
		uo.Providers[i] = p
	}
	uo.ClientID, uo.ClientSecret, uo.ProjectID, uo.Prefill = demoClientID, demoClientSecret, demoProjectID, true
	uo.Approve = d.approve
	return d, nil
}

// approve sends the authorization URL to the server it names, which
// approves it as the demo user.
func (d *demo) approve(authURL string) (string, error) {
	switch {
	case strings.HasPrefix(authURL, d.sdm.URL+"/"):
		return d.sdm.Approve(authURL)
	case strings.HasPrefix(authURL, d.nest.URL+"/"):
		return d.nest.Approve(authURL)
	}
	return "", errors.New("this URL is not the demo server's")
}

func (d *demo) close() {
	_ = d.sdm.Close()
	_ = d.nest.Close()
}

// demoProviders are the providers --demo offers, Device Access first.
func demoProviders() []auth.Provider { return []auth.Provider{auth.SDM(), auth.Nest()} }

package cli

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"nestauth/internal/signals"
	"nestauth/ui"
	"nestauth/ui/plain"
)

func (a *app) newCmdWizard() *cobra.Command {
	c := &command{wizard: true, writesToken: true, tokenAlone: true}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "nestauth",
		Short: "Get an OAuth 2.0 access token for Nest devices, or any OAuth 2.0 provider",
		Long: `nestauth gets an OAuth 2.0 access token for Nest devices (Google Device
Access, or the legacy Works with Nest), or any OAuth 2.0 provider, in a
terminal wizard. No curl needed.

Providers (--provider): sdm (Google Nest Device Access, today's Nest API),
nest (Works with Nest, shut down in 2023), google (Google OAuth for any
--scope), github (a GitHub OAuth app or GitHub App: the device flow), custom
(any standard OAuth 2.0 server: its --issuer URL, or the endpoints). Without
--provider, the wizard asks; for custom it asks for the issuer.

A value given by flag or environment skips its step; esc still reaches it.
The wizard draws on stderr. The token goes to stdout when you finish (q,
enter or ctrl+c on the token step), so TOKEN=$(nestauth ...) works.

On the Authorize step Q shows the URL as a QR code. On the Access token step:
c copies the token, h an Authorization header, u a curl command; v verifies
it with one API call; w writes it to a file (mode 0600); x revokes it.

Plain mode (--plain, ACCESSIBLE=1, TERM=dumb, or a stdin that is not a
terminal) asks the same questions one line at a time on stderr and reads the
answers from stdin: no redrawing, no colour, no escape codes.

Exit codes: 0 token, 1 failure (or stdout could not take the token), 2 usage,
130 aborted (ctrl+c before the token step; on it, ctrl+c finishes like q).`,
		Example: `  # try it against a built-in server, no account
  nestauth --demo
  # sign in to Device Access once (setup: docs/providers.md)
  nestauth --provider sdm --save
  # a fresh token for scripts, every time
  nestauth token`,
	}
	o.client.addFlags(cmd)
	o.providerFlags.addFlags(cmd)
	o.providerFlags.addAPIFlags(cmd)
	addTimeoutFlag(cmd, &o.timeout, "time limit of one token request, and of a save's wait for the profile lock")
	o.addProfileFlag(cmd, a.getenv, "the saved profile to start from and save to; its values are filled in")
	o.addSaveFlags(cmd)
	o.sink.addFlags(cmd)
	fs := cmd.Flags()
	fs.BoolVar(&o.demo, "demo", false, "run against built-in Device Access and Works with Nest servers: no account needed")
	fs.BoolVar(&o.plain, "plain", false, "ask line by line instead of drawing the wizard")
	fs.BoolVar(&o.forceDevice, "device", false, "use the device flow: a code to enter on another device")
	fs.BoolVar(&o.noDevice, "no-device", false, "never use the device flow (used by itself when the provider has a device endpoint and no redirect URI is set)")
	return a.add(cmd, c, o, a.runWizard)
}

func (a *app) runWizard(o *options) int {
	stdin, stdout, stderr, getenv := a.stdin, a.stdout, a.stderr, a.getenv
	uo := ui.Options{
		Providers:    o.providers,
		ClientID:     o.clientID,
		ClientSecret: o.clientSecret,
		ProjectID:    o.projectID,
		Issuer:       o.issuer,
		Scopes:       o.scopes,
		RedirectURI:  o.redirectURI,
		NoPKCE:       o.noPKCE,
		Device:       o.device,
		Timeout:      o.timeout,
		Copy:         ui.CopyToSystem,
		Open:         ui.OpenBrowser,
	}
	if conn := strings.Fields(getenv("SSH_CONNECTION")); len(conn) == 4 {
		uo.SSHHost = conn[2]
	}
	if o.demo {
		d, err := startDemo(&uo)
		if err != nil {
			failf(stderr, "cannot start the demo server: %v", err)
			return exitFailure
		}
		defer d.close()
	} else if err := o.wizardProfile(&uo, stderr); err != nil {
		return profileFailed(stderr, err)
	}
	o.wizardSave(&uo)
	uo.TokenNote, uo.Deliver = tokenDelivery(stdout, o.sink)
	if plain.Wanted(o.plain, stdin, getenv) {
		return plain.Run(uo, plainSink{o.sink}, stdin, stdout, stderr)
	}
	screen, closeScreen, err := wizardScreen(stderr)
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	defer closeScreen()

	p := tea.NewProgram(ui.New(uo), tea.WithOutput(screen), tea.WithColorProfile(colorProfile(screen)), tea.WithoutSignalHandler())
	defer forwardSignals(p)()
	final, err := p.Run()
	if err != nil {
		return printRunError(stderr, err)
	}
	m := final.(ui.Model)
	m.Close()
	status := o.wizardSaved(&m, printWizardResult(&m, o.sink, stdout, stderr, screen), screen, stderr)
	if sig := m.HeldSignal(); sig != nil {
		return signals.Status(sig) // held back until the token request was answered
	}
	return status
}

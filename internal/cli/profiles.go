package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"nestauth/auth"
	"nestauth/internal/profile"
)

func (a *app) newCmdProfiles() *cobra.Command {
	c := &command{name: "profiles", fromProfile: true}
	o := &options{}
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the saved profiles",
		Long: `List the saved profiles.

One line each: name, provider, client ID, where the secrets are kept
(keyring or file) and when the access token expires. Never a secret. A
damaged profile shows the settings file's path and line; a profile whose
keyring cannot be reached shows "keyring unavailable", and stderr says why.

The settings are in $NESTAUTH_CONFIG_DIR, else $XDG_CONFIG_HOME/nestauth,
else the OS's user config directory/nestauth (~/.config/nestauth on Linux).

Exit codes: 0 ok (also when there are none), 1 the list cannot be read.`,
	}
	o.profile = profile.DefaultName
	return a.add(cmd, c, o, a.runProfiles)
}

// runProfiles lists the saved profiles, one a line; never a secret. A
// damaged profile is listed with what is wrong and where.
func (a *app) runProfiles(o *options) int {
	stdout, stderr := a.stdout, a.stderr
	st, err := o.profiles()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	list, err := st.List()
	if err != nil {
		failf(stderr, "%v", err)
		return exitFailure
	}
	if len(list) == 0 {
		say(stderr, fmt.Sprintf("No saved profiles in %s. Save one: run the wizard with '%s' and press s on the token step.",
			st.Dir, profile.SignInCommand("NAME")))
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tPROVIDER\tCLIENT ID\tSECRETS\tACCESS TOKEN")
	now := time.Now()
	var noKeyring error // said once, under the table: it would break it
	for _, e := range list {
		if e.Err != nil && e.Provider == "" { // the settings themselves are damaged
			fmt.Fprintf(tw, "%s\t-\t-\t-\tdamaged: %s\n", e.Name, auth.Sanitize(e.Err.Error()))
			continue
		}
		token := accessTokenState(e, now)
		switch {
		case errors.Is(e.Err, profile.ErrNoKeyring):
			token, noKeyring = "keyring unavailable", e.Err
		case e.Err != nil:
			token = "unreadable: " + auth.Sanitize(e.Err.Error())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.Provider, auth.Sanitize(e.ClientID), e.SecretsIn, token)
	}
	if err := tw.Flush(); err != nil {
		failf(stderr, "writing the list to stdout: %v", err)
		return exitFailure
	}
	if noKeyring != nil {
		failf(stderr, "keyring unavailable: %v", noKeyring)
	}
	return exitOK
}

// accessTokenState says when the profile's access token expires.
func accessTokenState(e profile.Entry, now time.Time) string {
	refresh := ""
	if !e.HasRefreshToken {
		refresh = ", no refresh token"
	}
	switch life := (&auth.Token{Expiry: e.Expiry}).Lifetime(now); {
	case !e.HasAccessToken:
		return "none" + refresh
	case life == "":
		return "never expires" + refresh
	case !e.Expiry.After(now):
		return life + " (refreshed on use)" + refresh
	default:
		return life + refresh
	}
}

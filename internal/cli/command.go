package cli

import (
	"cmp"

	"github.com/spf13/cobra"
)

// command is what varies by command: each NewCmd… fills one, and the shared
// code asks it instead of comparing names.
type command struct {
	name         string // as typed after nestauth; "" for the wizard. Messages only.
	wizard       bool   // asks for whatever the flags leave out
	writesToken  bool   // stdout or --output gets a token
	tokenAlone   bool   // stdout gets the token alone by default, not JSON
	fromProfile  bool   // token, profiles, forget: the saved profile holds the rest
	sendsClient  bool   // a token request: needs the client ID and secret
	callsAPI     bool   // check, revoke: no token request, their URLs checked where used
	loadsProfile bool   // --profile starts from the saved profile (device, check, revoke)
	saveNeedsIt  bool   // --profile only says where --save puts the result
	refreshes    bool   // sends a refresh token: Works with Nest never issued one
	needsProfile bool   // forget: --profile is required
	asksScope    bool   // with --issuer and no --scope, asks for the scopes the server lists
	flow         string // what --save records: profile.FlowCode or FlowDevice; "" keeps the saved one
	saveAgain    string // after a failed --save, how to save next time
}

// title is the command as typed, for messages: "exchange", or "nestauth".
func (c *command) title() string { return cmp.Or(c.name, "nestauth") }

// helpCommand is where the command's usage is.
func (c *command) helpCommand() string {
	if c.name == "" {
		return "nestauth --help"
	}
	return "nestauth " + c.name + " --help"
}

// complete offers values as the completions of flag name.
func complete(cmd *cobra.Command, name string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

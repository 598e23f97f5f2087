package content

import _ "embed"

//go:embed sri2/statements.txt
var defaultStatements string

// DefaultStatementSet is the file of the statement set Alongside ships,
// which every new organisation starts from.
func DefaultStatementSet() string { return defaultStatements }

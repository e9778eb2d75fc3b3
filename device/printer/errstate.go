package printer

import "fmt"

// errState is a state the printer reported before a job was sent.
type errState string

func (e errState) Error() string { return fmt.Sprintf("printer reports %s", string(e)) }

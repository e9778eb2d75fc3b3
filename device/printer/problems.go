package printer

import (
	"errors"
	"io/fs"
	"syscall"
)

// problemOf says what went wrong, as a code staff are told in words (the
// kiosk UI's catalogue, msg_printer_<code>). The usblp
// driver answers a write with ENOSPC when the paper is out and EIO when the
// printer is offline.
func problemOf(target string, err error) *Problem {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Problem{State: StateOffline, Code: ProblemNotFound, Target: target, err: err}
	case errors.Is(err, fs.ErrPermission):
		return &Problem{State: StateError, Code: ProblemNoPermission, Target: target, err: err}
	case errors.Is(err, syscall.ENOSPC), err == errState(StateNoPaper):
		return &Problem{State: StateNoPaper, Code: ProblemNoPaper, err: err}
	case errors.Is(err, syscall.EIO), err == errState(StateOffline):
		return &Problem{State: StateOffline, Code: ProblemOffline, err: err}
	default:
		return &Problem{State: StateError, Code: ProblemSendFailed, err: err}
	}
}

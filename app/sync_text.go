package app

import (
	"communekiosk/sync/syncer"
)

// The sync engine speaks in codes with parameters (syncer's Code and
// Alarm constants, syncproto's stable set); app passes them on as
// messages and the UI words them (docs/messages.md).

// syncErrorMsg is why a sync or an enrolment failed: sync_<code>, by the
// sync engine's error codes (syncproto.SyncErrorCodes).
func syncErrorMsg(code string) Message { return msg("sync_" + code) }

// syncAlarmMsg is a sync alarm: alarm_<code> with its parameters. A replay
// alarm raised before the kiosk's ID is known has words of its own
// (alarm_clock_replay_no_id); a clock offset goes as offset_minutes, which
// the UI writes out in each language as {offset}.
func syncAlarmMsg(a syncer.Alarm) Message {
	switch a.Code {
	case syncer.AlarmReplay:
		if id := a.Params[syncer.ParamKioskID]; id != "" {
			return msg("alarm_"+a.Code, "kiosk_id", id)
		}
		return msg("alarm_" + a.Code + "_no_id")
	case syncer.AlarmSkew:
		return msg("alarm_"+a.Code, "offset_minutes", a.Params[syncer.ParamOffsetMinutes])
	}
	return msg("alarm_" + a.Code)
}

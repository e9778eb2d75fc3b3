package app

import (
	"errors"
	"fmt"
	"time"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// Not-ready reasons in KioskState, for the welcome screen's words.
const (
	NotReadyEnrolment = "not_enrolled"
	NotReadyDiskFull  = "disk_full"
)

// errDiskFull is what a citizen reads when the disk is too full to keep
// a request: plain words, and who can help.
func errDiskFull(cause error) *Error {
	return newError(CodeDiskFull, msg("disk_full"), cause)
}

// diskAlarm is the staff's alarm for a disk under the free-space floor.
func diskAlarm(d kioskdb.Disk) Message {
	return msg("alarm_disk_low", "free_mb", fmt.Sprint(d.Free>>20), "floor_mb", fmt.Sprint(d.Floor>>20))
}

// backupAlarm is the staff's alarm for a failed backup.
func backupAlarm(st kioskdb.BackupStatus) Message {
	if errors.Is(st.Err, kioskdb.ErrDiskFull) {
		return msg("alarm_backup_disk_full")
	}
	return msg("alarm_backup_failed")
}

// kioskAlarms are the alarms of the node outside sync: disk, backups and
// a store that went back.
// Texts for the staff screen, codes for the heartbeat.
func (n *Node) kioskAlarms() (texts []Message, codes []string) {
	if d := n.db.Disk(); d.Low() {
		texts = append(texts, diskAlarm(d))
		codes = append(codes, syncproto.AlarmDiskLow)
	}
	if st := n.db.LastBackup(); st.Err != nil {
		texts = append(texts, backupAlarm(st))
		codes = append(codes, syncproto.AlarmBackupFailed)
	}
	if rw, err := n.db.LastRewind(); err == nil && n.now().Sub(rw.At) < rewindAlarmFor {
		texts = append(texts, rewindAlarm(rw))
		codes = append(codes, syncproto.AlarmStoreRewound)
	}
	return texts, codes
}

// rewindAlarmFor is how long staff see that the store went back.
const rewindAlarmFor = 7 * 24 * time.Hour

// rewindAlarm tells staff that receipts may be missing from the store.
func rewindAlarm(rw kioskdb.Rewind) Message {
	lost := rw.Recorded - rw.Found
	return msg("alarm_store_rewound", "lost", fmt.Sprint(lost), "span", fmt.Sprintf("%d–%d", rw.Found+1, rw.Recorded))
}

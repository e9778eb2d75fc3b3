package app

import (
	"errors"
	"fmt"
	"time"

	"communekiosk/kiosk"
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
	return newError(CodeDiskFull,
		"Ki-ốt này tạm thời không nhận được hồ sơ. Xin vui lòng hỏi cán bộ.",
		"This kiosk cannot take requests right now, please ask the staff.", cause)
}

// diskAlarm is the staff's alarm for a disk under the free-space floor.
func diskAlarm(d kioskdb.Disk) kiosk.Text {
	mb := func(b uint64) string { return fmt.Sprintf("%d MB", b>>20) }
	return kiosk.Text{
		VI: "Ổ đĩa của ki-ốt gần đầy (còn " + mb(d.Free) + ", cần ít nhất " + mb(d.Floor) + "): ki-ốt đã ngừng nhận hồ sơ mới. Các hồ sơ đã nhận vẫn được gửi và vẫn nhận được kết quả. Hãy giải phóng dung lượng ổ đĩa hoặc gọi bộ phận kỹ thuật.",
		EN: "The kiosk's disk is nearly full (" + mb(d.Free) + " free, at least " + mb(d.Floor) + " needed): it has stopped taking new requests. Requests already taken are still sent and still get their statuses. Free some disk space or call the IT team.",
	}
}

// backupAlarm is the staff's alarm for a failed backup.
func backupAlarm(st kioskdb.BackupStatus) kiosk.Text {
	if errors.Is(st.Err, kioskdb.ErrDiskFull) {
		return kiosk.Text{
			VI: "Không sao lưu được dữ liệu của ki-ốt: ổ đĩa không đủ chỗ. Hồ sơ vẫn được lưu và gửi, nhưng nếu tệp dữ liệu hỏng sẽ không có bản sao mới. Hãy giải phóng dung lượng hoặc gọi bộ phận kỹ thuật.",
			EN: "The kiosk's store could not be backed up: not enough disk space. Requests are still kept and sent, but a damaged store would have no recent copy. Free some disk space or call the IT team.",
		}
	}
	return kiosk.Text{
		VI: "Không sao lưu được dữ liệu của ki-ốt (xem nhật ký). Hồ sơ vẫn được lưu và gửi, nhưng nếu tệp dữ liệu hỏng sẽ không có bản sao mới. Hãy gọi bộ phận kỹ thuật.",
		EN: "The kiosk's store could not be backed up (see the log). Requests are still kept and sent, but a damaged store would have no recent copy. Call the IT team.",
	}
}

// kioskAlarms are the alarms of the node outside sync: disk, backups and
// a store that went back.
// Texts for the staff screen, codes for the heartbeat.
func (n *Node) kioskAlarms() (texts []kiosk.Text, codes []string) {
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
func rewindAlarm(rw kioskdb.Rewind) kiosk.Text {
	lost := rw.Recorded - rw.Found
	span := fmt.Sprintf("%d–%d", rw.Found+1, rw.Recorded)
	return kiosk.Text{
		VI: fmt.Sprintf("Dữ liệu của ki-ốt đã bị lùi về trạng thái cũ hơn biên nhận cuối cùng (tệp dữ liệu hỏng hoặc vừa khôi phục bản sao lưu): có thể thiếu %d biên nhận (số thứ tự %s). Hãy gọi bộ phận kỹ thuật để lấy lại từ tệp hỏng (kioskd salvage) hoặc hỏi thành phố; không cấp lại các mã này.", lost, span),
		EN: fmt.Sprintf("The kiosk's store went back to a state older than its last receipt (a damaged file, or a restored backup): up to %d receipts (sequence %s) may be missing. Call the IT team to recover them from the damaged file (kioskd salvage) or ask the city; their codes will not be given again.", lost, span),
	}
}

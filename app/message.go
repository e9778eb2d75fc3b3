package app

import "communekiosk/kiosk"

// Message is a sentence for people, sent by key: the UI words it from its
// catalogues (frontend/src/lib/i18n/vi.ts and en.ts, entry msg_<key>) with
// Params filled in ({name} placeholders). The keys are a stable set, listed
// with their parameters in docs/messages.md; app writes no Vietnamese of
// its own (TestNoVietnameseOutsideCatalogues).
//
// Text carries words that come with the message from a package that has
// no keys yet (the sync engine's reasons, the printer's problems): when it
// is set the UI shows it as it is.
type Message struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
	Text   kiosk.Text        `json:"text,omitzero"`
}

// msg is the message key with params given as name, value pairs.
func msg(key string, params ...string) Message {
	m := Message{Key: key}
	if len(params) > 0 {
		m.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			m.Params[params[i]] = params[i+1]
		}
	}
	return m
}

// textMsg is a message whose words come from elsewhere (see Message.Text).
func textMsg(key string, t kiosk.Text) Message { return Message{Key: key, Text: t} }

// IsZero reports an absent message.
func (m Message) IsZero() bool { return m.Key == "" && m.Text.IsZero() && len(m.Params) == 0 }

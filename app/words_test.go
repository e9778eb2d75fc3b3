package app

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"communekiosk/device/printer"
	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncer"
	"communekiosk/sync/syncproto"
)

// One catalogue of words: app sends messages by key (Message) and the UI
// words them from frontend/src/lib/i18n/vi.ts and en.ts. The tests here
// read those catalogues, so a test of app can still say which words a
// person sees.

const i18nDir = "../frontend/src/lib/i18n"

var (
	catOnce  sync.Once
	catWords map[string]kiosk.Text
	catErr   error
)

// tsEntry is one `  key: 'text',` line of vi.ts or en.ts.
var tsEntry = regexp.MustCompile(`^\s*(\w+): '((?:[^'\\]|\\.)*)',?\s*$`)

// uiCatalogue reads the msg_ entries of the UI's catalogues.
func uiCatalogue(t *testing.T) map[string]kiosk.Text {
	t.Helper()
	catOnce.Do(func() {
		catWords = map[string]kiosk.Text{}
		for _, lang := range []string{"vi", "en"} {
			f, err := os.Open(filepath.Join(i18nDir, lang+".ts"))
			if err != nil {
				catErr = err
				return
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				m := tsEntry.FindStringSubmatch(sc.Text())
				if m == nil || !strings.HasPrefix(m[1], "msg_") {
					continue
				}
				text := strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(m[2])
				w := catWords[strings.TrimPrefix(m[1], "msg_")]
				if lang == "vi" {
					w.VI = text
				} else {
					w.EN = text
				}
				catWords[strings.TrimPrefix(m[1], "msg_")] = w
			}
			f.Close()
			if err := sc.Err(); err != nil {
				catErr = err
				return
			}
		}
	})
	if catErr != nil {
		t.Fatal(catErr)
	}
	return catWords
}

// words is what the UI shows for m: the catalogue's words for its key
// with the params filled in (not those the UI writes out itself, such as
// {offset}). It fails the test for a key the catalogues lack.
func words(t *testing.T, m Message) kiosk.Text {
	t.Helper()
	w, ok := uiCatalogue(t)[m.Key]
	if !ok || w.VI == "" || w.EN == "" {
		t.Fatalf("message %q has no words in %s/vi.ts and en.ts (msg_%s)", m.Key, i18nDir, m.Key)
	}
	fill := func(s string) string {
		for k, v := range m.Params {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		return s
	}
	return kiosk.Text{VI: fill(w.VI), EN: fill(w.EN)}
}

// msgKeysInApp are the keys app's code sends: each msg("key", ...) and
// textMsg("key", ...) with a literal key, plus the keys it makes from a
// status or state.
func msgKeysInApp(t *testing.T) []string {
	t.Helper()
	keys := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) == 0 {
				return true
			}
			if id, ok := c.Fun.(*ast.Ident); !ok || id.Name != "msg" {
				return true
			}
			if l, ok := c.Args[0].(*ast.BasicLit); ok && l.Kind == token.STRING {
				k, _ := strconv.Unquote(l.Value)
				keys[k] = true
			}
			return true
		})
	}
	for _, st := range cityStatuses {
		keys[statusText(kioskdb.Record{State: kioskdb.StateSent, Status: st}).Key] = true
	}
	for _, code := range []string{printer.ProblemNotFound, printer.ProblemNoPermission, printer.ProblemNoPaper, printer.ProblemOffline,
		printer.ProblemSendFailed, printer.ProblemNoCUPS, printer.ProblemQueueRefused, printer.ProblemNoSuchPrinter,
		printer.ProblemBusy, printer.ProblemFailed} {
		keys[printerMsg(&printer.Problem{Code: code}).Key] = true
	}
	for _, code := range syncproto.SyncErrorCodes() {
		keys[syncErrorMsg(code).Key] = true
	}
	for _, a := range []syncer.Alarm{{Code: syncer.AlarmEnrolment}, {Code: syncer.AlarmUnsent}, {Code: syncer.AlarmSkew},
		{Code: syncer.AlarmReplay}, {Code: syncer.AlarmReplay, Params: map[string]string{syncer.ParamKioskID: "K1"}}} {
		keys[syncAlarmMsg(a).Key] = true
	}
	for _, state := range []string{kioskdb.StateQueued, kioskdb.StateSent, kioskdb.StateQuarantined} {
		keys[statusText(kioskdb.Record{State: state}).Key] = true
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cityStatuses are the statuses the city sends (docs/protocol.md).
var cityStatuses = []syncproto.Status{syncproto.StatusReceived, syncproto.StatusAccepted, syncproto.StatusProcessing,
	syncproto.StatusNeedsSupplement, syncproto.StatusReady, syncproto.StatusPosted, syncproto.StatusPickedUp,
	syncproto.StatusDone, syncproto.StatusNotAccepted, syncproto.StatusRefused, syncproto.StatusWithdrawn, syncproto.StatusRejected}

// TestEveryMessageHasWords: each key app sends has words in both of the
// UI's catalogues and a line in docs/messages.md, and each msg_ entry of
// the catalogues is a key app sends (no stale words).
func TestEveryMessageHasWords(t *testing.T) {
	doc, err := os.ReadFile("../docs/messages.md")
	if err != nil {
		t.Fatal(err)
	}
	sent := msgKeysInApp(t)
	if len(sent) < 40 {
		t.Fatalf("found only %d message keys in app: is msg() still how app words its messages?", len(sent))
	}
	cat := uiCatalogue(t)
	for _, k := range sent {
		t.Run(k, func(t *testing.T) {
			if w := cat[k]; w.VI == "" || w.EN == "" {
				t.Errorf("no words for %q: add msg_%s to %s/vi.ts and en.ts", k, k, i18nDir)
			}
			if !strings.Contains(string(doc), "`"+k+"`") {
				t.Errorf("docs/messages.md does not list %q", k)
			}
		})
	}
	for k := range cat {
		if !sortedHas(sent, k) {
			t.Errorf("msg_%s is in the UI's catalogues but app never sends it", k)
		}
	}
}

func sortedHas(s []string, k string) bool {
	i := sort.SearchStrings(s, k)
	return i < len(s) && s[i] == k
}

package kiosk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrCatalogue marks a catalogue that is not well formed; decide with
// errors.Is. The message says what is wrong and where.
var ErrCatalogue = errors.New("kiosk: invalid catalogue")

// MaxCatalogueSize bounds a catalogue the city sends.
const MaxCatalogueSize = 4 << 20

var (
	catalogueVersionRE = regexp.MustCompile(`^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,4}$`)
	catalogueIDRE      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	optionIDRE         = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$`)
	procedureRE        = regexp.MustCompile(`^[0-9]\.[0-9]{6}$`)
)

// ParseCatalogue decodes and checks a catalogue: unknown JSON fields,
// trailing data, missing texts in either language, text that is not NFC,
// unknown field kinds or paths, dangling fee, waiver and option references,
// duplicate IDs and malformed dates are all errors wrapping ErrCatalogue.
func ParseCatalogue(data []byte) (*Catalogue, error) {
	if len(data) > MaxCatalogueSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrCatalogue, len(data), MaxCatalogueSize)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrCatalogue)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Catalogue
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: decode: %w", ErrCatalogue, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the catalogue", ErrCatalogue)
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCatalogue, err)
	}
	return &c, nil
}

func checkCatText(where string, t Text) error {
	if strings.TrimSpace(t.VI) == "" || strings.TrimSpace(t.EN) == "" {
		return fmt.Errorf("%s: text missing in Vietnamese or English", where)
	}
	if !norm.NFC.IsNormalString(t.VI) || !norm.NFC.IsNormalString(t.EN) {
		return fmt.Errorf("%s: text is not NFC", where)
	}
	return nil
}

func checkOptionalText(where string, t Text) error {
	if t.IsZero() {
		return nil
	}
	return checkCatText(where, t)
}

func checkDate(where, s string, optional bool) error {
	if s == "" && optional {
		return nil
	}
	if _, err := ParseDate(s); err != nil {
		return fmt.Errorf("%s: date %q is not YYYY-MM-DD", where, s)
	}
	return nil
}

// check runs the catalogue's checks section by section, the first
// failure first.
func (c *Catalogue) check() error {
	if err := c.checkHeader(); err != nil {
		return err
	}
	if err := c.checkPurposes(); err != nil {
		return err
	}
	if c.OfficeHours != nil {
		if err := c.OfficeHours.check(); err != nil {
			return err
		}
	}
	if err := c.checkOptionLists(); err != nil {
		return err
	}
	fees, err := c.checkFees()
	if err != nil {
		return err
	}
	if err := c.checkWaivers(fees); err != nil {
		return err
	}
	if err := c.checkPostage(); err != nil {
		return err
	}
	if err := c.checkHolidays(); err != nil {
		return err
	}
	return c.checkServices(fees)
}

func (c *Catalogue) checkHeader() error {
	if !catalogueVersionRE.MatchString(c.Version) {
		return fmt.Errorf("version %q is not YYYY.M.N", c.Version)
	}
	if !catalogueVersionRE.MatchString(c.NoticeVersion) {
		return fmt.Errorf("notice_version %q is not YYYY.M.N", c.NoticeVersion)
	}
	return checkCatText("notice", c.Notice)
}

func (c *Catalogue) checkPurposes() error {
	required := 0
	seen := map[string]bool{}
	for i, p := range c.Purposes {
		where := fmt.Sprintf("purposes[%d]", i)
		if !catalogueIDRE.MatchString(p.ID) || seen[p.ID] {
			return fmt.Errorf("%s: bad or duplicate id %q", where, p.ID)
		}
		seen[p.ID] = true
		if err := checkCatText(where+".label", p.Label); err != nil {
			return err
		}
		if p.Required {
			required++
		}
	}
	if required == 0 {
		return errors.New("purposes: no required purpose")
	}
	return nil
}

// checkOptionLists checks every list, then that the lists the kiosk's own
// steps need are there with the options it names.
func (c *Catalogue) checkOptionLists() error {
	for name, list := range c.OptionLists {
		if !catalogueIDRE.MatchString(name) {
			return fmt.Errorf("option_lists: bad list name %q", name)
		}
		if len(list) == 0 {
			return fmt.Errorf("option_lists.%s: empty", name)
		}
		ids := map[string]bool{}
		for i, o := range list {
			where := fmt.Sprintf("option_lists.%s[%d]", name, i)
			if !optionIDRE.MatchString(o.ID) || ids[o.ID] {
				return fmt.Errorf("%s: bad or duplicate id %q", where, o.ID)
			}
			ids[o.ID] = true
			if err := checkCatText(where+".label", o.Label); err != nil {
				return err
			}
		}
	}
	for _, need := range []string{"relations", "sex", "delivery"} {
		if len(c.OptionLists[need]) == 0 {
			return fmt.Errorf("option_lists.%s: missing", need)
		}
	}
	if _, ok := c.Option("relations", RelationSelf); !ok {
		return errors.New("option_lists.relations: no \"self\"")
	}
	for _, id := range []string{DeliveryPickup, DeliveryPost} {
		if _, ok := c.Option("delivery", id); !ok {
			return fmt.Errorf("option_lists.delivery: no %q", id)
		}
	}
	return nil
}

// checkFees checks the fee rules and returns the set of their IDs.
func (c *Catalogue) checkFees() (map[string]bool, error) {
	fees := map[string]bool{}
	for i, f := range c.Fees {
		if err := c.checkFee(i, f); err != nil {
			return nil, err
		}
		fees[f.ID] = true
	}
	return fees, nil
}

func (c *Catalogue) checkFee(i int, f FeeRule) error {
	where := fmt.Sprintf("fees[%d]", i)
	if !catalogueIDRE.MatchString(f.ID) {
		return fmt.Errorf("%s: bad id %q", where, f.ID)
	}
	// Several rules may share an ID (a fee that changes on a date),
	// but their periods must not overlap and their unit must agree.
	for _, g := range c.Fees[:i] {
		if g.ID == f.ID && (g.Per != f.Per || overlaps(g.ValidFrom, g.ValidTo, f.ValidFrom, f.ValidTo)) {
			return fmt.Errorf("%s: rule %q overlaps another rule with that id, or differs in per", where, f.ID)
		}
	}
	if f.AmountVND < 0 || f.AmountVND > 100_000_000 {
		return fmt.Errorf("%s: amount_vnd %d out of range", where, f.AmountVND)
	}
	switch f.Per {
	case PerCopy, PerRequest, PerCounter:
	default:
		return fmt.Errorf("%s: per %q is not copy, request or counter", where, f.Per)
	}
	if err := checkCatText(where+".basis", f.Basis); err != nil {
		return err
	}
	return checkPeriod(where, f.ValidFrom, f.ValidTo)
}

func (c *Catalogue) checkWaivers(fees map[string]bool) error {
	waivers := map[string]bool{}
	for i, w := range c.Waivers {
		where := fmt.Sprintf("waivers[%d]", i)
		if !catalogueIDRE.MatchString(w.ID) || waivers[w.ID] {
			return fmt.Errorf("%s: bad or duplicate id %q", where, w.ID)
		}
		waivers[w.ID] = true
		if !fees[w.Fee] {
			return fmt.Errorf("%s: unknown fee %q", where, w.Fee)
		}
		if err := checkPeriod(where, w.ValidFrom, w.ValidTo); err != nil {
			return err
		}
		if err := checkCatText(where+".condition", w.Condition); err != nil {
			return err
		}
		if err := checkOptionalText(where+".basis", w.Basis); err != nil {
			return err
		}
		if !strings.HasPrefix(w.Field, "extra.") || !catalogueIDRE.MatchString(strings.TrimPrefix(w.Field, "extra.")) {
			return fmt.Errorf("%s: field %q is not extra.<id>", where, w.Field)
		}
	}
	return nil
}

func (c *Catalogue) checkPostage() error {
	if c.Postage.TariffVND < 0 || c.Postage.TariffVND > 10_000_000 {
		return fmt.Errorf("postage: tariff_vnd %d out of range", c.Postage.TariffVND)
	}
	return checkCatText("postage.text", c.Postage.Text)
}

func (c *Catalogue) checkHolidays() error {
	for i, h := range c.Holidays {
		if err := checkDate(fmt.Sprintf("holidays[%d]", i), h, false); err != nil {
			return err
		}
		if i > 0 && h <= c.Holidays[i-1] {
			return fmt.Errorf("holidays[%d]: %s not after %s (keep them sorted, once each)", i, h, c.Holidays[i-1])
		}
	}
	return nil
}

func (c *Catalogue) checkServices(fees map[string]bool) error {
	if len(c.Services) == 0 {
		return errors.New("services: none")
	}
	services := map[string]bool{}
	for i, s := range c.Services {
		if err := c.checkService(i, s, fees); err != nil {
			return err
		}
		if services[s.ID] {
			return fmt.Errorf("services[%d]: duplicate id %q", i, s.ID)
		}
		services[s.ID] = true
	}
	return nil
}

// overlaps reports whether two periods [af, at] and [bf, bt] share a day;
// an empty end is open.
func overlaps(af, at, bf, bt string) bool {
	return (at == "" || bf <= at) && (bt == "" || af <= bt)
}

func checkPeriod(where, from, to string) error {
	if err := checkDate(where+".valid_from", from, false); err != nil {
		return err
	}
	if err := checkDate(where+".valid_to", to, true); err != nil {
		return err
	}
	if to != "" && to < from {
		return fmt.Errorf("%s: valid_to %s before valid_from %s", where, to, from)
	}
	return nil
}

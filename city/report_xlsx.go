package city

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// ReportXLSX makes a workbook of the report with real numbers (counts as
// numbers, rates as numbers formatted as percentages): the communes with
// the city's total, the services, and every commune × service with
// dossiers.
func ReportXLSX(rep Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return nil, fmt.Errorf("city: xlsx style: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("city: xlsx style: %w", err)
	}
	type line struct {
		lead []any
		fig  Figures
		sat  *SatisfactionFigures
	}
	sheet := func(name string, lead []string, withSat bool, lines []line) error {
		idx, err := f.NewSheet(name)
		if err != nil {
			return err
		}
		if name == tr("vi", "sheet_communes") {
			f.SetActiveSheet(idx)
		}
		title := both("sheet_title") + " — " + rep.Period.Label
		if err := f.SetCellValue(name, "A1", title); err != nil {
			return err
		}
		f.SetCellStyle(name, "A1", "A1", bold)
		head := append([]string(nil), lead...)
		for _, c := range reportColumns {
			head = append(head, c.head.VI+" ("+c.head.EN+")")
		}
		if withSat {
			for _, c := range satisfactionColumns {
				head = append(head, c.head.VI+" ("+c.head.EN+")")
			}
		}
		for i, h := range head {
			ref, _ := excelize.CoordinatesToCellName(i+1, 3)
			if err := f.SetCellValue(name, ref, h); err != nil {
				return err
			}
			f.SetCellStyle(name, ref, ref, bold)
		}
		for r, l := range lines {
			row := r + 4
			col := 1
			put := func(v any, rate bool) error {
				ref, _ := excelize.CoordinatesToCellName(col, row)
				col++
				if v == nil {
					return nil
				}
				if err := f.SetCellValue(name, ref, v); err != nil {
					return err
				}
				if rate {
					return f.SetCellStyle(name, ref, ref, pct)
				}
				return nil
			}
			for _, v := range l.lead {
				if err := put(v, false); err != nil {
					return err
				}
			}
			for _, c := range reportColumns {
				v, ok := c.value(l.fig)
				var cellv any
				switch {
				case ok && c.rate:
					cellv = v
				case ok:
					cellv = int(v)
				}
				if err := put(cellv, c.rate); err != nil {
					return err
				}
			}
			if withSat && l.sat != nil {
				for _, c := range satisfactionColumns {
					v, ok := c.value(*l.sat)
					var cellv any
					switch {
					case ok && c.rate:
						cellv = v
					case ok:
						cellv = int(v)
					}
					if err := put(cellv, c.rate); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	var communes []line
	for _, c := range rep.Communes {
		communes = append(communes, line{lead: []any{c.Commune, c.Name}, fig: c.Figures, sat: &c.Satisfaction})
	}
	communes = append(communes, line{lead: []any{"", both("xrow_city_total")}, fig: rep.Total, sat: &rep.Satisfaction})
	if err := sheet(tr("vi", "sheet_communes"), []string{both("xcol_commune_code"), both("xcol_commune")}, true, communes); err != nil {
		return nil, fmt.Errorf("city: xlsx: %w", err)
	}
	var services []line
	for _, s := range rep.Services {
		services = append(services, line{lead: []any{s.Service, s.Name.VI}, fig: s.Figures})
	}
	if err := sheet(tr("vi", "sheet_services"), []string{both("xcol_service_code"), both("xcol_service_name")}, false, services); err != nil {
		return nil, fmt.Errorf("city: xlsx: %w", err)
	}
	var cells []line
	for _, c := range rep.Communes {
		for _, s := range c.Services {
			cells = append(cells, line{lead: []any{c.Commune, c.Name, s.Service, s.Name.VI}, fig: s.Figures})
		}
	}
	if err := sheet(tr("vi", "sheet_cells"), []string{both("xcol_commune_code"), both("xcol_commune"), both("xcol_service_code"), both("xcol_service_name")}, false, cells); err != nil {
		return nil, fmt.Errorf("city: xlsx: %w", err)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return nil, fmt.Errorf("city: xlsx: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("city: xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

package web

import (
	"strconv"
)

// domainChart draws a wave's domain scores, 0 to 100, one bar a domain.
func domainChart(ds []domainResult) svgChart {
	items := make([]barItem, len(ds))
	for i, d := range ds {
		items[i] = barItem{Label: d.Domain.Name, OK: d.Mean != "", Text: d.Mean}
		if d.Mean == "" {
			items[i].Text = "too few answers"
		} else {
			items[i].V, _ = strconv.ParseFloat(d.Mean, 64)
		}
	}
	return barChart(items, 100, []float64{0, 50, 100})
}

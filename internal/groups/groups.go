// Package groups names the report groups a participant falls in: mass organisation, age
// band and gender, with their codes and labels. The resident service and the paper
// sheets normalise what people wrote into these codes, the aggregator counts by them and
// the reports lay their rows out in this order, so the groups live below all of them.
package groups

import "strings"

// Organisations are the mass organisations of the plan (section IV.2), by code.
var Organisations = []struct{ Code, Label string }{
	{"mttq", "Mặt trận Tổ quốc"},
	{"hpn", "Hội Liên hiệp Phụ nữ"},
	{"dtn", "Đoàn Thanh niên"},
	{"hnd", "Hội Nông dân"},
	{"hccb", "Hội Cựu chiến binh"},
	{"other", "Tổ chức khác"},
	{"none", "Không tham gia / không khai"},
}

// OrganisationLabel names an organisation code ("" for none).
func OrganisationLabel(code string) string {
	if code == "none" {
		return ""
	}
	for _, o := range Organisations {
		if o.Code == code {
			return o.Label
		}
	}
	return ""
}

// OrganisationCode maps what a resident wrote to one of Organisations' codes.
func OrganisationCode(name string) string {
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	switch {
	case n == "":
		return "none"
	case strings.Contains(n, "mặt trận"):
		return "mttq"
	case strings.Contains(n, "phụ nữ"):
		return "hpn"
	case strings.Contains(n, "thanh niên"):
		return "dtn"
	case strings.Contains(n, "nông dân"):
		return "hnd"
	case strings.Contains(n, "cựu chiến binh"):
		return "hccb"
	case strings.Contains(n, "không"):
		return "none"
	}
	return "other"
}

// AgeBands are the age groups of the reports (participants are 15 or older).
var AgeBands = []string{"15-24", "25-34", "35-44", "45-59", "60+", "unknown"}

// AgeBand returns the band of someone born in birthYear, in year.
func AgeBand(birthYear, year int) string {
	if birthYear == 0 {
		return "unknown"
	}
	switch age := year - birthYear; {
	case age < 15:
		return "unknown"
	case age < 25:
		return "15-24"
	case age < 35:
		return "25-34"
	case age < 45:
		return "35-44"
	case age < 60:
		return "45-59"
	default:
		return "60+"
	}
}

// Genders are the gender groups of the reports.
var Genders = []string{"male", "female", "other", "unknown"}

// GenderGroup returns the report group of a gender answer.
func GenderGroup(g string) string {
	switch g {
	case "male", "female", "other":
		return g
	}
	return "unknown"
}

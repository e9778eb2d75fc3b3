package city_test

import (
	"net/url"
	"strings"
	"testing"

	"communekiosk/city"
)

func TestOfficePagesRender(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	req := goodRequest()
	req.Delivery = postDelivery()
	id := k.submit(req)
	_, apw := e.user("admin", city.RoleAdmin)
	_, opw := e.user("lan", city.RoleOfficer, "00004")
	_, vpw := e.user("vien", city.RoleViewer, "00004")

	o := e.browser()
	o.login("lan", opw)
	for _, p := range []string{"/office/queue", "/office/dossiers/" + id, "/office/post", "/office/register", "/office/due", "/office/counts", "/office/account"} {
		if status, body := o.get(p); status != 200 {
			t.Fatalf("%s: %d %s", p, status, body)
		}
	}
	for _, step := range []struct {
		action string
		form   url.Values
	}{
		{"accept", nil}, {"supplement", url.Values{"reason": {"Bản chụp giấy khai sinh"}}}, {"process", nil}, {"ready", nil},
	} {
		if status, body, _ := o.post("/office/dossiers/"+id+"/actions/"+step.action, step.form); status != 303 {
			t.Fatalf("%s: %d %s", step.action, status, body)
		}
	}
	if status, body, _ := o.post("/office/dossiers/"+id+"/view", nil); status != 200 || !strings.Contains(body, "Nguyễn Thị Hoa") {
		t.Fatalf("view: %d %s", status, body)
	}
	if status, body := o.get("/office/dossiers/" + id + "/slips/01"); status != 200 || !strings.Contains(body, "data:image/png;base64,") {
		t.Fatalf("slip: %d %s", status, body)
	}
	status, body, h := o.post("/office/post", url.Values{"id": {id}, "tracking_" + id: {"EB123456785VN"}})
	if status != 303 {
		t.Fatalf("post: %d %s", status, body)
	}
	if status, body := o.get(h.Get("Location")); status != 200 || !strings.Contains(body, "EB123456785VN") {
		t.Fatalf("batch: %d %s", status, body)
	}
	a := e.browser()
	a.login("admin", apw)
	for _, p := range []string{"/office/users", "/office/calendar", "/office/audit", "/office/account"} {
		if status, body := a.get(p); status != 200 {
			t.Fatalf("%s: %d %s", p, status, body)
		}
	}
	v := e.browser()
	v.login("vien", vpw)
	if status, body := v.get("/office/counts"); status != 200 {
		t.Fatalf("counts: %d %s", status, body)
	}
}

package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/throttle"
)

// Attacks on what SMS cost and who they lock out (issue 22, finding 5), and on the
// per-client start limit (finding 7). Each test sets the hourly SMS budget out of the
// way where it is about one address, so the figure it measures is the address's own.

// askCode asks for a code for phone in quiz quizID as the viewer at source and returns
// the status.
func (e *env) askCode(source, phone, quizID string) int {
	e.t.Helper()
	status, _, _ := e.from(source, "POST", "/v1/verifications", map[string]string{"phone": phone, "quizId": quizID}, nil)
	return status
}

func TestOneAddressCannotSpendMoreThanTwentySMSAnHour(t *testing.T) {
	t.Setenv(throttle.EnvSMSBudget, "100000") // this test is about one address
	e := newEnv(t)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-mot-gio", now.Add(-time.Hour), now.Add(30*time.Hour))
	const bot = "203.0.113.66:40000"
	// Every 202 is an SMS sent (the code goes out before the answer); the outbox forgets
	// a message once its code expires, so the answers are what is counted.
	sent, phone := 0, 0
	ask := func() {
		if e.askCode(bot, fmt.Sprintf("0913%06d", phone), ct.ID) == http.StatusAccepted {
			sent++
		}
		phone++
	}

	t.Run("the address's SMS in an hour are at most twenty", func(t *testing.T) {
		// Twelve new phones a minute for an hour (720 requests): more than any other
		// limit allows, so the figure is what one address can spend.
		for range 60 {
			for range 12 {
				ask()
			}
			e.Clock.Advance(time.Minute)
		}
		t.Logf("SMS sent to one address's 720 requests in an hour: %d", sent)
		if sent > 20 {
			t.Errorf("SMS sent to one address's requests in an hour = %d, want at most 20", sent)
		}
	})
	t.Run("over a day the address spends at most the daily limit", func(t *testing.T) {
		// One request every 5 minutes for the next 20 hours (to 23:00 UTC, within the
		// day's window): the hourly limit alone would let all 12 an hour through.
		for range 20 * 12 {
			ask()
			e.Clock.Advance(5 * time.Minute)
		}
		t.Logf("SMS sent to one address's 960 requests in 21 hours of one day: %d", sent)
		if want := int(throttle.DefaultLimits().VerifyDay.Hard); sent > want {
			t.Errorf("SMS sent to one address's requests in a day = %d, want at most %d", sent, want)
		}
	})
	t.Run("a resident at another address still gets a code", func(t *testing.T) {
		if status := e.askCode("198.51.100.21:5000", "0987654300", ct.ID); status != http.StatusAccepted {
			t.Errorf("request from another address = %d, want 202", status)
		}
	})
}

func TestAddressesWithinOneIPv6SlashSixtyFourAreOneSource(t *testing.T) {
	t.Setenv(throttle.EnvSMSBudget, "100000")
	e := newEnv(t)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-ipv6", now.Add(-time.Hour), now.Add(3*time.Hour))

	t.Run("25 codes asked from 25 addresses of one /64 send at most 20", func(t *testing.T) {
		sent := 0
		for i := range 25 {
			// The interface id changes (privacy addresses), the /64 does not.
			src := fmt.Sprintf("[2001:db8:77:1:%x:%x::%x]:443", (i*7919)%0x10000, i, i+1)
			if e.askCode(src, fmt.Sprintf("0914%06d", i), ct.ID) == http.StatusAccepted {
				sent++
			}
		}
		t.Logf("codes sent to 25 addresses of one /64: %d", sent)
		if sent > 20 {
			t.Errorf("codes sent to one /64 = %d, want at most 20", sent)
		}
	})
	t.Run("the next /64 is another source", func(t *testing.T) {
		if status := e.askCode("[2001:db8:77:2::1]:443", "0914999999", ct.ID); status != http.StatusAccepted {
			t.Errorf("request from another /64 = %d, want 202", status)
		}
	})
	t.Run("starts from addresses of one /64 meet one source's limit", func(t *testing.T) {
		t.Setenv(throttle.EnvSourceSoft, "2")
		t.Setenv(throttle.EnvSourceHard, "3")
		s := newEnv(t)
		var got []int
		for i := range 4 {
			src := fmt.Sprintf("[2001:db8:99:5::%x]:443", i+1)
			status, _, _ := s.from(src, "POST", "/v1/quizzes/"+demoQuiz+"/attempts", resident(village, "", fmt.Sprintf("v6-device-%d", i)), nil)
			got = append(got, status)
		}
		want := []int{201, 201, 201, 429}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("starts from four addresses of one /64 = %v, want %v", got, want)
		}
	})
}

func TestAStrangerCannotLockTheOwnerOutOfCodes(t *testing.T) {
	e := newEnv(t)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-khoa-ma", now.Add(-time.Hour), now.Add(30*time.Hour))
	const victim = "0977000777"
	const stranger, owner = "203.0.113.90:1000", "198.51.100.90:2000"

	t.Run("a stranger gets three codes for the victim's phone, then is refused", func(t *testing.T) {
		var got []int
		for range 4 {
			got = append(got, e.askCode(stranger, victim, ct.ID))
		}
		if want := []int{202, 202, 202, 429}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stranger's requests = %v, want %v", got, want)
		}
	})
	t.Run("the owner from their own address still gets a code", func(t *testing.T) {
		if status := e.askCode(owner, victim, ct.ID); status != http.StatusAccepted {
			t.Errorf("owner's request after the stranger's three = %d, want 202", status)
		}
	})
	t.Run("a stranger asking for hours from one address leaves the owner codes", func(t *testing.T) {
		for range 6 {
			e.Clock.Advance(phoneverify.ResendWindow)
			for range phoneverify.ResendLimit {
				e.askCode(stranger, victim, ct.ID)
			}
		}
		if status := e.askCode(owner, victim, ct.ID); status != http.StatusAccepted {
			t.Errorf("owner's request after 90 minutes of the stranger's requests = %d, want 202", status)
		}
	})
	t.Run("a victim's phone gets at most the daily number of codes from many addresses", func(t *testing.T) {
		e.Clock.Advance(24 * time.Hour)
		sent := 0
		for i := range 2 * phoneverify.PhoneDayLimit {
			if e.askCode(fmt.Sprintf("192.0.2.%d:3000", i+1), "0977000888", ct.ID) == http.StatusAccepted {
				sent++
			}
		}
		if sent != phoneverify.PhoneDayLimit {
			t.Errorf("codes sent to one phone from %d addresses = %d, want %d", 2*phoneverify.PhoneDayLimit, sent, phoneverify.PhoneDayLimit)
		}
	})
}

func TestAReplayedClientTokenDoesNotResetTheDevicesCount(t *testing.T) {
	e := newEnv(t)
	body := resident(village, "", "replaying-device")
	status, raw, _ := e.from("198.51.100.40:1000", "POST", "/v1/quizzes/"+demoQuiz+"/attempts", body, nil)
	if status != http.StatusCreated {
		t.Fatalf("first start = %d %s", status, raw)
	}
	body.ClientToken = decodeJSON[attempts.StartResponse](t, raw).ClientToken // the first token, replayed from now on
	accepted := 1
	for i := range 14 {
		if status, _, _ := e.from(fmt.Sprintf("198.51.100.%d:1000", 41+i), "POST", "/v1/quizzes/"+demoQuiz+"/attempts", body, nil); status == http.StatusCreated {
			accepted++
		}
	}
	t.Logf("starts accepted with the first client token replayed: %d of 15", accepted)
	if hard := int(throttle.DefaultLimits().Client.Hard); accepted > hard {
		t.Errorf("starts accepted with the first client token replayed = %d of 15, want at most %d", accepted, hard)
	}
}

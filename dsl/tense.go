package dsl

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/esgen/esgen/internal/goname"
)

// This file holds the rule behind W003 (an event not named in the past
// tense) and W005 (a command named in the past tense). docs/language.md
// states it in the same terms; keep the two in step.
//
// A name is split into words as goname.Words does (at underscores and case
// changes). Its head words are where English puts the verb of an event:
//
//   - the last word, once trailing words that are not the verb are set
//     aside: Event or Events, a version (V2) or a number, a particle or
//     adverb (In, Out, Up, Down, Off, On, Over, Back, Away, Again, Online,
//     Offline, Once, Twice...) and a word of five letters or more ending in
//     ly (Partially, Successfully): UserLoggedIn, PaymentCapturedPartially;
//   - the word before a preposition (To, From, For, By, With, At, In, On,
//     Into, Via...), particles and adverbs set aside: ItemAddedToCart,
//     UserSignedUpForNewsletter;
//   - the word before the last one when it is a linking verb in the past
//     (Became, Went, Came, Got, Turned, Fell, Stayed...): AccountBecameDormant.
//
// A word is a past participle (or a past form) when, in lower case and
// without trailing digits:
//
//   - it ends in ed, has four letters or more, and is not one of a few
//     words that only look like it (hundred, naked, embed...); a word in
//     eed is one only if listed (agreed, freed, guaranteed...), because
//     need, speed and proceed are not;
//   - it is an irregular form that differs from the present (sent, paid,
//     held, frozen, done, begun, lost...), after taking off one prefix Un,
//     Re, Pre, Over, Under, Mis, Out, Up, With or Fore (unfrozen, undone,
//     rebuilt, prepaid, overdrawn, withheld), except for a few words that
//     only look like it (present, relent);
//   - it is ambiguous: an irregular form equal to the present (set, reset,
//     put, cut, split, read, run...) or one that is also a common noun or
//     adjective (left, found, bound, ground, felt, fell, led, shot, won,
//     sat, wound). Ambiguous forms count for events only.
//
// An event is named in the past tense when one of its head words is a
// past participle. A command is named in the past tense when its first
// word is an unambiguous past form (ShippedOrder), or, unless its first
// word is a verb whose object may be a participle (MarkPaid, RetryFailed),
// when a head word other than its first is (OrderClosed).

// nameWords splits a name into words as the tense rule sees them.
func nameWords(name string) []string { return goname.Words(name) }

// headIndexes returns the indexes of the head words of words: the last
// word once trailing non-verbs are set aside, the word before each
// preposition, and a linking verb before the last word. The result may
// hold an index twice.
func headIndexes(words []string) []int {
	n := len(words)
	for n > 1 && trailingNonVerb(words[n-1]) {
		n--
	}
	if n == 0 {
		return nil
	}
	heads := []int{n - 1}
	if n >= 2 && linkingPast[strings.ToLower(words[n-2])] {
		heads = append(heads, n-2)
	}
	for i := 1; i < len(words); i++ {
		if !prepositions[strings.ToLower(words[i])] {
			continue
		}
		j := i - 1
		for j > 0 && trailingNonVerb(words[j]) {
			j--
		}
		heads = append(heads, j)
	}
	return heads
}

// trailingNonVerb reports whether a word at the end of a name (or before
// a preposition) is set aside when looking for the verb: Event, a version
// or number, a particle or an adverb.
func trailingNonVerb(word string) bool {
	w := strings.ToLower(word)
	switch {
	case w == "event" || w == "events", particles[w]:
		return true
	case isVersionWord(w):
		return true
	case len(w) >= 5 && strings.HasSuffix(w, "ly") && !notAdverb[w]:
		return true
	}
	return false
}

// isVersionWord reports whether w is a number or a version such as v2.
func isVersionWord(w string) bool {
	w = strings.TrimPrefix(w, "v")
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// pastForm says whether word is a past participle or past form, and
// whether it is ambiguous (also a present form, a noun or an adjective).
func pastForm(word string) (past, ambiguous bool) {
	w := strings.ToLower(word)
	if t := strings.TrimRight(w, "0123456789"); t != "" {
		w = t // Archived2
	}
	switch {
	case ambiguousPast[w]:
		return true, true
	case irregularForm(w):
		return true, false
	case regularPast(w):
		return true, false
	}
	return false, false
}

// regularPast reports whether w is a regular past form: -ed.
func regularPast(w string) bool {
	if len(w) < 4 || !strings.HasSuffix(w, "ed") || notPastED[w] {
		return false
	}
	return !strings.HasSuffix(w, "eed") || eedPast[w]
}

// irregularForm reports whether w is an irregular past form that differs
// from the present, possibly behind one prefix.
func irregularForm(w string) bool {
	if irregularPast[w] {
		return true
	}
	if notCompound[w] {
		return false
	}
	for _, p := range pastPrefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) >= 3 && irregularPast[rest] {
			return true
		}
	}
	return false
}

// eventPastTense reports whether an event name reads as the past tense.
// When it does not, rename proposes a name with the past form some other
// word has moved last ("FailedLoginAttempt" -> "LoginAttemptFailed"), or
// is empty.
func eventPastTense(name string) (ok bool, participle, rename string) {
	words := nameWords(name)
	heads := headIndexes(words)
	for _, i := range heads {
		if past, _ := pastForm(words[i]); past {
			return true, "", ""
		}
	}
	// Propose moving the first past form (with its particles) last.
	for i, w := range words {
		if past, _ := pastForm(w); !past {
			continue
		}
		j := i + 1
		for j < len(words) && particles[strings.ToLower(words[j])] {
			j++
		}
		end := len(words)
		for end > j && trailingNonVerb(words[end-1]) && !particles[strings.ToLower(words[end-1])] {
			end-- // Event, V2, adverbs: dropped from the proposal
		}
		if end <= j && i == 0 {
			return false, w, ""
		}
		moved := append(append(append([]string{}, words[:i]...), words[j:end]...), words[i:j]...)
		return false, w, joinLike(name, moved)
	}
	return false, "", ""
}

// commandPastTense reports whether a command name reads as the past
// tense, like an event.
func commandPastTense(name string) bool {
	words := nameWords(name)
	if len(words) == 0 {
		return false
	}
	if past, amb := pastForm(words[0]); past && !amb {
		return true
	}
	if len(words) > 1 && objectVerbs[strings.ToLower(words[0])] {
		return false
	}
	for _, i := range headIndexes(words) {
		if i == 0 {
			continue
		}
		if past, amb := pastForm(words[i]); past && !amb {
			return true
		}
	}
	return false
}

// joinLike joins words in the style of name: with underscores when name
// has them, else in camel case starting with the case name starts with.
func joinLike(name string, words []string) string {
	if strings.Contains(name, "_") {
		return strings.Join(words, "_")
	}
	first, _ := utf8.DecodeRuneInString(name)
	var b strings.Builder
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		switch {
		case i == 0 && unicode.IsLower(first):
			r = unicode.ToLower(r)
		default:
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
		b.WriteString(w[n:])
	}
	return b.String()
}

// particles are set aside at the end of a name and before a preposition:
// particles of phrasal verbs and adverbs that follow the verb.
var particles = setOf(
	"in", "out", "up", "down", "off", "on", "over", "back", "away", "through",
	"around", "about", "along", "aside", "apart", "ahead", "behind", "forward",
	"together", "again", "online", "offline", "once", "twice", "early", "late",
	"now", "today",
)

// notAdverb are words of five letters or more ending in ly that are not
// adverbs.
var notAdverb = setOf(
	"apply", "supply", "reply", "comply", "multiply", "imply", "rally", "tally",
	"belly", "jelly", "bully", "assembly", "family", "anomaly", "italy", "monopoly",
	"butterfly", "firefly", "dragonfly", "ugly",
)

// prepositions start a phrase after the verb: ItemAddedToCart.
var prepositions = setOf(
	"to", "from", "for", "by", "with", "into", "onto", "in", "on", "at", "of",
	"via", "within", "without", "across", "against", "per", "after", "before",
	"during", "until", "upon", "toward", "towards", "under", "over", "as",
	"through", "between", "beyond", "due",
)

// linkingPast are past forms of linking verbs, which an adjective follows:
// AccountBecameDormant, DeviceWentOffline.
var linkingPast = setOf(
	"became", "become", "came", "come", "fell", "fallen", "got", "gotten", "went",
	"gone", "grew", "grown", "turned", "stayed", "remained", "proved", "proven",
	"ran", "run", "seemed", "appeared", "kept",
)

// objectVerbs start commands whose object may be a participle used as an
// adjective or noun: MarkPaid, SetArchived, RetryFailed, PurgeExpired.
var objectVerbs = setOf(
	"mark", "set", "flag", "declare", "report", "keep", "get", "have", "leave",
	"make", "treat", "consider", "retry", "delete", "remove", "archive", "purge",
	"clear", "discard", "drop", "list", "show", "hide", "select", "restore",
	"resend", "reprocess", "requeue", "replay", "release", "approve", "reject",
	"cancel", "notify", "export", "find", "fetch", "load", "count", "expire",
	"sync", "undo", "redo", "fix", "repair", "ignore", "skip", "process", "review",
)

// pastPrefixes may precede an irregular form: unfrozen, rebuilt, overpaid.
var pastPrefixes = []string{"under", "over", "with", "fore", "pre", "mis", "out", "un", "re", "up"}

// notCompound are words that look like a prefix and an irregular form but
// are not past forms.
var notCompound = setOf("present", "relent")

// notPastED are words ending in ed that are not past forms (words ending
// in eed are handled apart).
var notPastED = setOf(
	"embed", "hundred", "sacred", "naked", "wicked", "kindred", "shred", "sled",
	"bobsled", "hatred", "rugged", "ragged", "jagged", "crooked", "infrared",
	"biped", "testbed", "seabed", "flatbed", "hotbed", "sickbed", "roadbed",
)

// eedPast are the words ending in eed that are past forms.
var eedPast = setOf(
	"agreed", "disagreed", "freed", "guaranteed", "decreed", "refereed", "emceed",
	"pureed",
)

// ambiguousPast are past forms equal to the present form, or that are
// also a common noun or adjective: they make an event past tense, never a
// command.
var ambiguousPast = setOf(
	// same as the present
	"set", "reset", "preset", "unset", "upset", "offset", "put", "input", "output",
	"cut", "undercut", "shut", "hit", "let", "sublet", "quit", "read", "reread",
	"misread", "proofread", "split", "spread", "cast", "recast", "broadcast",
	"forecast", "cost", "hurt", "burst", "fit", "refit", "bid", "outbid", "rid",
	"shed", "run", "rerun", "overrun", "outrun", "come", "become", "overcome",
	"bet", "thrust", "slit", "knit", "spit", "wed",
	// also a noun or an adjective
	"left", "found", "bound", "ground", "felt", "fell", "led", "shot", "won",
	"sat", "wound", "unknown",
)

// irregularPast are irregular past forms and participles that differ from
// the present form.
var irregularPast = setOf(
	// participles in -en and -n
	"arisen", "awoken", "beaten", "bidden", "bitten", "blown", "borne", "born",
	"broken", "chosen", "done", "drawn", "driven", "eaten", "fallen", "flown",
	"forbidden", "forgiven", "forgotten", "forsaken", "frozen", "given", "gone",
	"gotten", "grown", "hewn", "hidden", "known", "laden", "lain", "mown",
	"proven", "ridden", "risen", "sawn", "seen", "sewn", "shaken", "shaven",
	"shorn", "shown", "shrunken", "slain", "smitten", "sown", "spoken", "stolen",
	"stricken", "striven", "strewn", "stridden", "sworn", "swollen", "taken",
	"thrown", "torn", "trodden", "woken", "worn", "woven", "written", "withdrawn",
	// participles in -t
	"bent", "built", "burnt", "dealt", "dreamt", "dwelt", "kept", "knelt",
	"leapt", "learnt", "lent", "lost", "meant", "sent", "slept", "smelt",
	"spelt", "spent", "spilt", "spoilt", "swept", "wept", "crept", "taught",
	"thought", "bought", "brought", "caught", "fought", "sought", "met", "lit",
	"got",
	// participles in -d and others
	"bled", "bred", "fed", "fled", "sped", "slid", "hid", "held", "told", "sold",
	"said", "paid", "laid", "heard", "made", "had", "stood", "did", "clad",
	"begun", "rung", "sung", "sunk", "spun", "stung", "strung", "swum", "swung",
	"wrung", "clung", "flung", "slung", "stunk", "hung", "shrunk", "drunk",
	"sprung", "stuck", "struck", "dug", "shone", "spat",
	// past forms that differ from the participle
	"arose", "awoke", "became", "began", "blew", "broke", "came", "chose", "drank",
	"drew", "drove", "ate", "flew", "forbade", "forgave", "forgot", "froze", "gave",
	"grew", "knew", "ran", "rang", "rode", "sang", "sank", "shook", "shrank", "slew",
	"sprang", "stank", "stole", "strode", "strove", "swam", "swore", "threw", "took",
	"tore", "trod", "went", "woke", "wore", "wove", "wrote",
	// prefixed forms of the ambiguous ones, which take no prefix
	"misled", "unbound", "rewound", "unwound", "forgone", "begotten",
)

// setOf returns a set of words.
func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

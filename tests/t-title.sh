#!/bin/bash
# t-title.sh: json's "title".  Titles in many charsets come out as the
# expected UTF-8, HTML is read well enough not to be fooled, hostile
# titles still give valid JSON, and --title-only stops at </title>.
. "$(dirname "$0")/lib.sh"
start_testd

# cases.py writes one /page URL a line and, to the other file, the title
# each must give (JSON, null for none).  Pages are made with Python's own
# codecs, an oracle independent of iconv.
cat >"$TMP/cases.py" <<'PY'
import json, sys, urllib.parse as u
base, urls, want = sys.argv[1], open(sys.argv[2], "w"), open(sys.argv[3], "w")
def case(ct, body, title):
    urls.write(base + "/page?ct=" + u.quote(ct, safe="") + "&b=" +
               u.quote(body, safe="") + "\n")
    want.write(json.dumps(title, ensure_ascii=False) + "\n")
def t(text, cs):
    return b"<html><head><title>" + text.encode(cs) + b"</title></head>"
# Charsets from the Content-Type header.
case("text/html; charset=iso-8859-1", t("Café à la crème", "latin-1"),
     "Café à la crème")
case("text/html; charset=windows-1251", t("Привет, мир", "cp1251"),
     "Привет, мир")
case("text/html; charset=Shift_JIS", t("日本語のタイトル", "shift_jis"),
     "日本語のタイトル")
case("text/html; charset=GB18030", t("中文标题 €", "gb18030"), "中文标题 €")
case('text/html; charset="big5"', t("繁體中文標題", "big5"), "繁體中文標題")
case("text/html; charset=euc-kr", t("한국어 제목", "euc-kr"), "한국어 제목")
case("text/html;charset=KOI8-R", t("Заголовок", "koi8-r"), "Заголовок")
# From <meta charset> and <meta http-equiv>, when the header has none.
case("text/html", b'<meta charset="gb2312"><title>' +
     "简体".encode("gb2312") + b"</title>", "简体")
case("text/html", b"<META HTTP-EQUIV='content-type' CONTENT='text/html; "
     b"charset=windows-1251'><title>" + "Кириллица".encode("cp1251") +
     b"</title>", "Кириллица")
case("text/html", b"<title>" + "Ελληνικά".encode("iso-8859-7") +
     b"</title><meta charset=iso-8859-7>", "Ελληνικά")
# The header wins over a meta that disagrees.
case("text/html; charset=utf-8", b"<meta charset=big5><title>" +
     "ütf".encode() + b"</title>", "ütf")
# Unlabelled: UTF-8 when valid, windows-1252 when not.
case("text/html", "<title>naïve ✓</title>".encode(), "naïve ✓")
case("text/html", b"<title>caf\xe9 \x93q\x94</title>", "café “q”")
# HTML that must not fool the scanner.
case("text/html", b"<!-- <title>comment</title> --><![CDATA[<title>cdata"
     b"</title>]]><script>s='<title>script</title>'</script>"
     b"<style>/*<title>style</title>*/</style>"
     b"<TiTlE lang='x>y'>  A &amp; B &lt;&gt; &#169;&#x1F600;&eacute;\n"
     b"\t C &bogus; &amp </TITLE>", "A & B <> ©😀é C &bogus; &amp")
case("text/html", b"<title>a <b>bold</b> </titlex> z</title >",
     "a <b>bold</b> </titlex> z")
case("text/html", b"<!--->--><title>after ---></title>", "after --->")
case("text/html", b"<title></title>", "")
case("text/html", b"<html><body>no title</body>", None)
case("text/plain", b"<title>not html</title>", None)
case("application/xhtml+xml", b"<title>xhtml</title>", "xhtml")
case("text/html", b"<title>open to the end", "open to the end")
# Hostile: invalid UTF-8 where UTF-8 is declared is repaired, never
# passed on; control bytes are white space, references to nothing U+FFFD.
case("text/html; charset=utf-8", b"<title>bad \xff\xfe\xc0\xaf end</title>",
     "bad \ufffd\ufffd\ufffd\ufffd end")
case("text/html", b"<title>\x1b[31mred\x01&#0;&#xD800;&#99999999;</title>",
     "[31mred \ufffd\ufffd\ufffd")
case("text/html; charset=no-such-charset", b"<title>ok \xff</title>",
     "ok \ufffd")
PY
python3 "$TMP/cases.py" "$HTTP" "$TMP/urls.txt" "$TMP/want.txt"
"$COFETCH" -q -k -f json -i "$TMP/urls.txt" >"$TMP/got.jsonl"
check "valid JSON lines" valid_jsonl "$TMP/got.jsonl"
jq -c .title "$TMP/got.jsonl" >"$TMP/got.txt"
n=0
while IFS= read -r want <&3 && IFS= read -r got <&4; do
	check_eq "title $n" "$(jq -c . <<<"$want")" "$got"
	n=$((n + 1))
done 3<"$TMP/want.txt" 4<"$TMP/got.txt"
check_eq "one title per case" "$(wc -l <"$TMP/want.txt")" "$n"

# A long title is bounded; one past the first 64 KiB is not looked for.
got=$("$COFETCH" -q -f json \
    "$HTTP/page?ct=text/html&b=%3Ctitle%3E@@%3C/title%3E&x=100000" | jq .title)
check_range "a 100 KB title is cut to 1 KiB" 1000 1026 "${#got}"
check_eq "a title after 64 KiB is not looked for" '"seen" null' \
    "$("$COFETCH" -q -k -f json \
    "$HTTP/page?ct=text/html&b=%3C!--@@--%3E%3Ctitle%3Eseen%3C/title%3E&x=65000" \
    "$HTTP/page?ct=text/html&b=%3C!--@@--%3E%3Ctitle%3Elate%3C/title%3E&x=66000" |
    jq .title | paste -sd' ')"

# Found by fuzz_html: a cut title ends on a whole character, and control
# characters, raw or as references, are white space.
long="%3Ctitle%3Ea$(printf '%%C3%%A9%.0s' $(seq 300))%FF%3C/title%3E"
got=$("$COFETCH" -q -f json "$HTTP/page?ct=text/html&b=$long" | jq -r .title)
check_eq "a title cut at 1 KiB ends on a whole character" "1023 false" \
    "$(printf %s "$got" | wc -c) $(jq -Rr 'test("\ufffd")' <<<"$got")"
check_eq "control characters in a title are white space (&#0; is U+FFFD)" \
    "\"a b c$(printf '\357\277\275')d e\"" \
    "$("$COFETCH" -q -f json "$HTTP/page?ct=text/html&b=%3Ctitle%3Ea%01b%7Fc%26%230%3Bd%26%23x1b%3B%1B%1Be%3C/title%3E" |
    jq .title)"

# --title-only: an endless page ends once its title is in.
reset_stats
start=$(now_ms)
"$COFETCH" -q -f json --title-only "$HTTP/endless/html" >"$TMP/e.json"
check "--title-only on an endless page returns at once" \
    test $(( $(now_ms) - start )) -lt 1000
check_eq "...with its title" '"Endless & more"' "$(jq .title "$TMP/e.json")"
check_eq "...ok and truncated" "true true" \
    "$(jq -r '"\(.ok) \(.truncated)"' "$TMP/e.json")"
check_range "...and the server sent under 64 KiB" 1 65535 \
    "$(stat endless_bytes)"
check_eq "--title-only: a page without HTML ends at its first bytes" \
    "true true" "$("$COFETCH" -q -f json --title-only "$HTTP/endless" |
    jq -r '"\(.ok) \(.truncated)"')"
# In json a preview waits for the title too.
check_eq "-n 1 in json: both the line and the title" \
    '["<!doctype html><html><head><title>Endless &amp; more</title></head><body>"] "Endless & more"' \
    "$("$COFETCH" -q -f json -n 1 "$HTTP/endless/html" |
    jq -c '.head, .title' | paste -sd' ')"
check_eq "without --title-only the whole body counts" \
    "$(curl -s "$HTTP/lines/5000" | wc -c) false" \
    "$("$COFETCH" -q -f json "$HTTP/page?ct=text/html&b=%3Ctitle%3Et%3C/title%3E" \
    "$HTTP/lines/5000" | jq -r 'select(.index == 1) | "\(.bytes) \(.truncated)"')"

# Preview lines are converted from the page's charset too.
body=$(python3 -c 'import urllib.parse as u
print(u.quote("<p>Строка один\n<p>Строка два\n".encode("cp1251"), safe=""))')
check_eq "-f head lines from windows-1251" \
    "<p>Строка один|<p>Строка два" \
    "$("$COFETCH" -q -f head -n 2 \
    "$HTTP/page?ct=text/html%3Bcharset%3Dwindows-1251&b=$body" |
    sed -n '2,3p' | paste -sd'|')"

finish

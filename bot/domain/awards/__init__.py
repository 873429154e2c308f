"""Detect award announcements ("thi đua - khen thưởng") and read who received what from whom.

The spec is ``shared/notes/awards-vi.md``. ``detect_award`` is the one entry point. The package:
``lexicon.toml`` (award forms, givers, verbs, traps and unit words as data, each rule naming the
labelled cases it serves) read by ``lexicon``; ``facts`` (what one sentence says); ``extract`` (the
facts of the award sentences, each with its evidence); ``judge`` (the article as a whole). Rules:

Matching
    Text is ``normalize``-d; award kinds, masks and authorities are matched on an accent-folded,
    lowercase copy of the same length (``_aligned_fold``), so "Chiến sỹ"/"Chiến sĩ", "hoà"/"hòa",
    case and missing diacritics do not matter; verbs are matched on the lowercase text with its
    diacritics ("tặng" is not "tăng"). Names and positions are cut from the original text.
Award sentence
    A sentence (title, lead, body, caption) that names an award kind and has a conferral,
    decision or proposal verb, after masking agency and policy names ("Hội đồng/Ban Thi đua -
    Khen thưởng", "công tác thi đua, khen thưởng", "TĐKT"). Generic "khen thưởng" without a kind
    counts only with counted or named recipients. Revocation: a revoking verb governing an award
    (thu hồi/hủy bỏ/tước/bãi bỏ/xóa tên + Bằng khen, danh hiệu, khen thưởng, quyết định …, or
    "… bị thu hồi") masks its clause from the verb to the next ";" (a following clause "…;
    đồng thời tặng … cho …" still counts; "thu hồi nợ" in a reason clause is no revocation).
    Skipped sentences: discipline (kỷ luật, khiển trách, cảnh cáo outside the reason clause),
    intentions and plans (sẽ, dự kiến, phấn đấu, đăng ký, giao ước, kế hoạch, hướng dẫn, tiêu
    chuẩn … unless recipients are counted or named), and history ("Trong 5 năm qua, … đã được
    tặng …", "từng được", "trước đây", "trải qua 30 năm", "nhiều năm liền", "6 tháng đầu năm",
    a tally "nhiều Bằng khen/Cờ thi đua" …; the reason clause "vì đã có thành tích …" is ignored
    for this test). History sentences add neither kinds nor counts. Earlier events ("Trước đó,
    …", "Năm 2019, …" before the article's year — its latest dd/mm/yyyy date in title and lead —,
    "đã được … tặng … (năm) 2012" two or more years before) count only when the article has no
    other award sentence. The whole article is judged: where an award is revoked, sentences
    about the revoked family that confer nothing new (no counted recipients, no active present
    "X tặng … cho …") are dropped, and so are earlier events. A proposal needs named or counted
    recipients. A sentence naming a kind with counts but no verb ("Bằng khen của Chủ tịch UBND
    tỉnh: 23 tập thể") is a list item and counts only when the article has a real award sentence;
    so does a following "Trong đó/Cụ thể/Gồm …" sentence, and the items of a list opened by ":"
    ("…, gồm: 1. Ông Nguyễn Văn A - …").
Scope (precision first: when unsure, no card)
    No announcement: titles of retrospectives ("Nhìn lại …", "qua 4 kỳ đại hội"), of guidance,
    rules and voters' petitions, obituaries; calls for nominations and rules ("nhận hồ sơ", "xét
    tặng", "thẩm quyền", "không quá …"); sentences about voters' petitions and allowances; "khen
    thưởng" without a form unless a giver is named or it is passive over counted recipients (a
    school's praise of its pupils is none). Another time is history, adding no form and no
    number: a past period or tally in the framing ("Trong 5 năm, …", "Giai đoạn 2015 - 2020, …",
    "6 tháng qua", "từng 3 lần được tặng", "năm học trước"), a year before the article's ("Năm
    2019, …"; the article's year is its latest dd/mm/yyyy date, else its latest "năm …"), and the
    rest of a paragraph that opens in another time unless a sentence returns to the event ("Dịp
    này, …", "Tại hội nghị, …").
Stage
    Per sentence: proposal words → proposed; a signed decision ("vừa ký Quyết định …", unless it is
    handed over: "trao Quyết định") → decided; "trao", "đón nhận", "gắn", "nhận", "lễ" →
    conferred; other conferral verbs → conferred; "Theo quyết định/Theo đó, …" right after a signed
    decision → decided. The article: conferred with a ceremony word > decided > conferred > proposed.
Canonical kinds
    Owner-bearing kinds are "<Kind> của <owner>": "Bằng khen của Thủ tướng Chính phủ",
    "Bằng khen của Bộ trưởng Bộ Thông tin và Truyền thông", "Bằng khen của Chủ tịch UBND tỉnh"
    ("của UBND tỉnh" is the same award), "Giấy khen của Giám đốc Sở", "Giấy khen của Chủ tịch UBND
    huyện"; a giver the lexicon does not know keeps the article's words when "<form> của <office or
    body>" is unambiguous ("Bằng khen của Tổng Giám đốc Tập đoàn"; never a person's name); flags
    use the body's name: "Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh",
    "Cờ thi đua của Bộ …" (Cờ "Đơn vị dẫn đầu phong trào thi đua" and "Cờ thi đua xuất sắc" with no
    owner → "Cờ thi đua"). The owner comes from "của X", else from the giver, found per kind in
    its own clause (split by ";"): the authority after "thừa ủy quyền", "được/đề nghị X tặng",
    the subject of the last "tặng/trao/ký Quyết định" before the kind ("Bộ trưởng Bộ Y tế tặng
    Bằng khen", "…; Giám đốc Sở Nội vụ tặng Giấy khen"), "… do X trao tặng"; a clause with no
    giver of its own takes the one of the clause before; with no owner the bare family name
    ("Bằng khen"). Orders: "Huân chương <Name> hạng <Nhất|Nhì|Ba>";
    medals "Huy chương <Name>"; titles "Chiến sĩ thi đua toàn quốc|cấp tỉnh|cấp bộ|cơ sở", "Lao
    động tiên tiến", "Chiến sĩ tiên tiến", "Tập thể lao động xuất sắc|tiên tiến", "Đơn vị quyết
    thắng"; "Kỷ niệm chương" (with its own name as
    written, "Kỷ niệm chương Vì sự nghiệp Giáo dục", when the article gives one); honours "Anh hùng Lao động",
    "Anh hùng Lực lượng vũ trang nhân dân", "Bà mẹ Việt Nam anh hùng", "Nhà giáo/Thầy thuốc/Nghệ
    sĩ/Nghệ nhân nhân dân|ưu tú" (only after "phong tặng", "truy tặng", "danh hiệu" or "công nhận",
    never as an honorific in a list); "Giải thưởng Hồ Chí Minh|Nhà nước" (and its field
    as written: "… về khoa học và công nghệ"); "Điển hình tiên tiến"
    (only when tuyên dương/biểu dương/vinh danh … điển hình tiên tiến).
Authorities
    Canonical persons: "Chủ tịch nước", "Thủ tướng Chính phủ", "Bộ trưởng Bộ …", "Chủ tịch UBND
    tỉnh", "Chủ tịch UBND huyện|thị xã|thành phố|xã|phường", "Ban Thường vụ Tỉnh ủy", "Tỉnh ủy",
    "Ủy ban MTTQ Việt Nam tỉnh", "Liên đoàn Lao động tỉnh", "Tổng Liên đoàn Lao động Việt Nam",
    "Tỉnh đoàn", "Trung ương Đoàn", "Giám đốc Sở" (any Sở), "Giám đốc Công an tỉnh". They come
    from "thừa ủy quyền (của) X" (never the presenter), kind owners, the giver, decision suffixes
    (/QĐ-CTN → Chủ tịch nước, /QĐ-TTg → Thủ tướng Chính phủ) and the law: orders, medals and
    state honours are conferred by the Chủ tịch nước, "Chiến sĩ thi đua toàn quốc" by the Thủ
    tướng Chính phủ, "Chiến sĩ thi đua cấp tỉnh" by the Chủ tịch UBND tỉnh; a form that carries no
    owner takes its giver ("Bộ trưởng Bộ Y tế tặng Kỷ niệm chương"). A "Phó …" presenter stands for
    the office ("Phó Giám đốc Sở" → "Giám đốc Sở"); a "Bí thư Tỉnh ủy" hands over for the committee
    and makes no giver.
Counts (per award form)
    Each stated number belongs to one form: the nearest form before it in its clause (clauses split by
    ";", by a full stop the splitter kept, and before a second giving verb), or the form after it when
    the number receives it ("9 tập thể được tặng Giấy khen", "…, 85 cá nhân được tặng danh hiệu …"); a
    number after two forms named together ("Bằng khen … và Giấy khen … cho 30 tập thể") is nobody's
    (after a pair of state honours, "… Nhà giáo nhân dân, Nhà giáo ưu tú cho 68 nhà giáo", it is their
    total); a clause giving something else ("…; trao 50 suất quà cho 50 thiếu nhi", also before the
    form's own clause: "… trao Huy hiệu Đảng cho 3 đồng chí; đồng thời … tặng Bằng khen …"), and any
    number in a clause naming no form, count for no form; a number whose noun is a form's name ("công
    nhận 2 Chiến sĩ thi đua toàn quốc và 35 Chiến sĩ thi đua cấp thành phố") is that form's. People are
    cá nhân, cán bộ, đoàn viên, học sinh, thầy thuốc, "gương" …; collectives are tập thể, đơn vị, sở,
    phòng, trường, chi đoàn …; numbers in the reason clause, after "năm/lớp/ số …", and a part of a
    total given in the same clause ("…, trong đó 10 tập thể") count nobody; a mixed "50 tập thể, cá
    nhân" is not split. The same number for a form restated (title, caption) counts once; two numbers
    for one form are added only when joined ("03 sở, ngành và 02 địa phương"); any other second number,
    or a number of the wrong sort (individuals of "Tập thể lao động xuất sắc"), leaves that form without
    a count. A form with no number counts the people named
    in the clauses that name only it (an honorific, or a title and a surname: "Bộ trưởng Bộ Y tế Trần
    Văn A nhận …"), else the collectives named there (most in one clause: "Sở X đón nhận", "… cho Công
    an tỉnh", the host of its own ceremony, unless the clause names the unit it is given to; each of
    several after "cho": "Sở Y tế, Sở Tài chính và Công an tỉnh"; a named unit beside counted people:
    "cho Cục X và 3 cá nhân"; a named person beside a count is one more: "cho ông A và 5 cá nhân khác").
    Named people count only when every one named was read: a one-word name, a plural list ("cho các vận
    động viên A, B, C"), a name after "và" without an honorific, examples ("trong đó có …") or a name
    left after a counted unit leave the count unsaid.
    "Mỗi gương/tập thể được tặng …" takes the count of that noun in the sentence before (else the
    title), or none — never one. Numbers in words are read whole ("mười hai", "hai mươi lăm"); one
    inside a number not read counts nobody.
    The top-level ``collectives``/``individuals`` is a total only when the article
    states one for distinct recipients ("tổng cộng 45 tập thể …", "UBND tỉnh khen thưởng 3 tập
    thể …", "Huân chương Lao động cho 2 tập thể" beside its classes), else the single form's counts
    when there is one form, else ``None``: counts of different forms are never added.
One award, two names
    A body beside the office or committee signing for it ("Bằng khen của Bộ Y tế" / "… của Bộ trưởng Bộ
    Y tế"), a caption's or title's own name for the one award of its family the body names, and a form a
    deputy only hands over ("Phó Chủ tịch UBND tỉnh trao Cờ thi đua …") beside its owner named elsewhere
    are one form, under the fuller name.
Evidence
    Every fact — the stage, each form, giver, named recipient, count and the decision — keeps the
    sentence it was read from (``AwardInfo.evidence``); the award card shows only facts with it.
Decision
    The number "…/QĐ-…" of an award sentence, preferring one whose following words are about an
    award (tặng, khen thưởng, a kind) and never one about another matter ("… công nhận xã đạt
    chuẩn nông thôn mới", bổ nhiệm, phê duyệt …); else one about an award elsewhere; else none.
Recipients
    Named people: an honorific (ông, bà, đồng chí, GS.TS., TS., ThS., Đại tá …) + 2-5 capitalised
    syllables + an optional position after " - ", "(" or ", <position word>". Named collectives
    (Sở/Trung tâm/Phòng/Chi cục/Trường/Xã … names) after "cho"/"tặng" or as the subject of "đón
    nhận"/"được tặng". Presenters (people before an active "trao/tặng") are not recipients.
"""

from bot.domain.awards.judge import detect_award
from bot.domain.awards.lexicon import naive_is_award

__all__ = ["detect_award", "naive_is_award"]

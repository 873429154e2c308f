"""Detect award announcements ("thi đua - khen thưởng") and read who received what from whom.

The spec is ``shared/notes/awards-vi.md``. Rules chosen here:

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
    so does a following "Trong đó/Cụ thể/Gồm …" sentence.
Stage
    Per sentence: proposal words → proposed; "trao", "đón nhận", "gắn", "nhận", "lễ" →
    conferred; "ký/ban hành Quyết định" → decided; other conferral verbs → conferred. The article
    takes the furthest stage: conferred > decided > proposed.
Canonical kinds
    Owner-bearing kinds are "<Kind> của <owner>": "Bằng khen của Thủ tướng Chính phủ",
    "Bằng khen của Bộ trưởng Bộ Thông tin và Truyền thông", "Bằng khen của Chủ tịch UBND tỉnh"
    ("của UBND tỉnh" is the same award), "Giấy khen của Giám đốc Sở", "Giấy khen của Chủ tịch UBND
    huyện"; flags use the body's name: "Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh",
    "Cờ thi đua của Bộ …" (Cờ "Đơn vị dẫn đầu phong trào thi đua" and "Cờ thi đua xuất sắc" with no
    owner → "Cờ thi đua"). The owner comes from "của X", else from the giver, found per kind in
    its own clause (split by ";"): the authority after "thừa ủy quyền", "được/đề nghị X tặng",
    the subject of the last "tặng/trao/ký Quyết định" before the kind ("Bộ trưởng Bộ Y tế tặng
    Bằng khen", "…; Giám đốc Sở Nội vụ tặng Giấy khen"), "… do X trao tặng"; a clause with no
    giver of its own takes the one of the clause before; with no owner the bare family name
    ("Bằng khen"). Orders: "Huân chương <Name> hạng <Nhất|Nhì|Ba>";
    medals "Huy chương <Name>"; titles "Chiến sĩ thi đua toàn quốc|cấp tỉnh|cấp bộ|cơ sở", "Lao
    động tiên tiến", "Chiến sĩ tiên tiến", "Tập thể lao động xuất sắc|tiên tiến", "Đơn vị quyết
    thắng"; "Kỷ niệm chương" (without its "Vì sự nghiệp …" name); honours "Anh hùng Lao động",
    "Anh hùng Lực lượng vũ trang nhân dân", "Bà mẹ Việt Nam anh hùng", "Nhà giáo/Thầy thuốc/Nghệ
    sĩ/Nghệ nhân nhân dân|ưu tú" (only after "phong tặng", "truy tặng", "danh hiệu" or "công nhận",
    never as an honorific in a list); "Giải thưởng Hồ Chí Minh|Nhà nước"; "Điển hình tiên tiến"
    (only when tuyên dương/biểu dương/vinh danh … điển hình tiên tiến).
Authorities
    Canonical persons: "Chủ tịch nước", "Thủ tướng Chính phủ", "Bộ trưởng Bộ …", "Chủ tịch UBND
    tỉnh", "Chủ tịch UBND huyện|thị xã|thành phố|xã|phường", "Ban Thường vụ Tỉnh ủy", "Tỉnh ủy",
    "Ủy ban MTTQ Việt Nam tỉnh", "Liên đoàn Lao động tỉnh", "Tổng Liên đoàn Lao động Việt Nam",
    "Tỉnh đoàn", "Trung ương Đoàn", "Giám đốc Sở" (any Sở), "Giám đốc Công an tỉnh". They come
    from "thừa ủy quyền (của) X" (never the presenter), kind owners, the giver, decision suffixes
    (/QĐ-CTN → Chủ tịch nước, /QĐ-TTg → Thủ tướng Chính phủ) and the law: orders, medals and
    state honours are conferred by the Chủ tịch nước, "Chiến sĩ thi đua toàn quốc" by the Thủ
    tướng Chính phủ. A "Phó …" presenter stands for the office ("Phó Giám đốc Sở" → "Giám đốc Sở").
Counts
    ``collectives`` / ``individuals`` are the sums of the explicitly stated counts in award
    sentences ("06 tập thể" → 6, "hai cá nhân" → 2, lists split by ";" summed); people are
    cá nhân, cán bộ, đoàn viên, hội viên, học sinh, "gương" ("10 gương thanh niên tiêu biểu") …,
    collectives are tập thể, đơn vị, chi đoàn, hợp tác xã, trường (học) …; numbers inside the
    reason clause ("vì đã có thành tích giúp 20 học sinh") and after "lớp/số/trong/hằng …" ("lớp
    5 Trường …") count nobody; named people are recipients and are not counted; a mixed total
    ("50 tập thể, cá nhân") is not split; numbers after "trong (số) đó" are breakdowns of a total
    already given and are skipped; the same number for the same award family repeated in another
    sentence (title vs body, caption vs body) is counted once. ``None`` when no count of that
    sort is stated.
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

"""Every string of the web application, in English and Japanese, and choosing the language of a request.

The language is `?lang=` when given, else the `exportctl_lang` cookie (set by the switch in the header),
else the first of en/ja in Accept-Language, else English. Pack texts (`title.en` / `title.ja`) come
from the pack; the engine's reason texts are English and shown as they are, with their citations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

LANGUAGES = ("en", "ja")
COOKIE = "exportctl_lang"

# key: (English, Japanese)
MESSAGES: Mapping[str, tuple[str, str]] = {
    # shell
    "app.tagline": ("Export-control compliance", "輸出管理コンプライアンス"),
    "nav.dashboard": ("Dashboard", "ダッシュボード"),
    "nav.orders": ("Orders", "受注"),
    "nav.new_order": ("New order", "受注登録"),
    "nav.screening": ("Screening", "スクリーニング"),
    "nav.licences": ("Licences", "許可証"),
    "nav.items": ("Items", "品目"),
    "nav.classify": ("Control list", "リスト規制検索"),
    "nav.regime": ("Regime", "規制内容"),
    "nav.api": ("API", "API"),
    "nav.impact": ("Impact", "影響分析"),
    "impact.title": ("Impact of a rule change", "規制変更の影響"),
    "impact.review_days": ("Review days", "審査日数"),
    "impact.changes": ("Rules that change", "変わる規制"),
    "impact.orders": ("Open orders", "未出荷の受注"),
    "impact.effect": ("Effect", "影響"),
    "impact.order": ("Order", "受注"),
    "impact.before": ("Before", "変更前"),
    "impact.after": ("After", "変更後"),
    "impact.effect.newly_blocked": ("Newly blocked", "新たに保留"),
    "impact.effect.newly_released": ("Newly released", "新たに出荷可"),
    "impact.effect.licence_type_no_longer_usable": ("Licence type no longer usable", "使えなくなる許可の種類"),
    "impact.effect.unchanged": ("Unchanged", "変更なし"),
    "impact.forecast": ("Licence workload forecast", "許可申請の見込み"),
    "impact.consignee": ("Consignee", "荷受人"),
    "impact.item": ("Item", "品目"),
    "impact.lines": ("Orders", "受注"),
    "impact.no_applications": ("No individual licence application is needed.", "個別許可の申請は不要です。"),
    "impact.computing": (
        "Computing… ({orders} open orders to determine on both dates). This page shows the result when it is ready.",
        "計算中…（未出荷の受注 {orders} 件を両日付で判定しています）。結果ができしだい、このページに表示します。",
    ),
    "impact.refresh": ("Refresh", "再表示"),
    "impact.failed": ("The impact analysis failed", "影響分析に失敗しました"),
    "lang.switch": ("日本語", "English"),
    "user.signed_in_as": ("Signed in as {name} ({role})", "{name}（{role}）でログイン中"),
    "user.logout": ("Log out", "ログアウト"),
    "role.viewer": ("viewer", "閲覧者"),
    "role.clerk": ("clerk", "担当者"),
    "role.officer": ("officer", "責任者"),
    "role.admin": ("admin", "管理者"),
    # login
    "login.title": ("Log in", "ログイン"),
    "login.name": ("User name", "ユーザー名"),
    "login.password": ("Password", "パスワード"),
    "login.submit": ("Log in", "ログイン"),
    "login.refused": ("Wrong user name or password.", "ユーザー名またはパスワードが正しくありません。"),
    "login.throttled": (
        "Too many failed logins. Try again in {seconds} seconds.",
        "ログインの失敗が多すぎます。{seconds} 秒後に再度お試しください。",
    ),
    "login.csrf": ("The form expired; please try again.", "フォームの有効期限が切れました。もう一度お試しください。"),
    "login.logged_out": ("You have logged out.", "ログアウトしました。"),
    # errors
    "error.title": ("Request refused", "処理できませんでした"),
    "error.forbidden": ("You may not do this with your role.", "現在の権限ではこの操作を行えません。"),
    "error.not_found": ("Not found.", "見つかりません。"),
    "error.back": ("Back", "戻る"),
    # common
    "common.none": ("none", "なし"),
    "common.all": ("All", "すべて"),
    "common.yes": ("yes", "はい"),
    "common.no": ("no", "いいえ"),
    "common.unknown": ("unknown", "不明"),
    "common.date": ("Date", "日付"),
    "common.show": ("Show", "表示"),
    "common.save": ("Save", "保存"),
    "common.search": ("Search", "検索"),
    "common.reason": ("Reason", "理由"),
    "common.source": ("Source", "根拠"),
    "common.verified": ("verified", "確認済"),
    "common.unverified": ("not verified", "未確認"),
    "common.print": ("Print", "印刷"),
    "common.count": ("Count", "件数"),
    "common.details": ("Details", "詳細"),
    "common.saved": ("Saved.", "保存しました。"),
    "common.code": ("Code", "コード"),
    "common.name": ("Name", "名称"),
    "common.country": ("Country", "国・地域"),
    "common.pack_version": ("Pack version", "パック版"),
    # pages of a list
    "pager.label": ("Pages", "ページ"),
    "pager.range": ("{first}–{last} of {total}", "{total} 件中 {first}–{last} 件"),
    "pager.page": ("page {number} of {pages}", "{pages} ページ中 {number} ページ目"),
    "pager.previous": ("← Previous", "← 前へ"),
    "pager.next": ("Next →", "次へ →"),
    # dashboard
    "dash.title": ("Dashboard", "ダッシュボード"),
    "dash.reference_date": ("Reference date", "基準日"),
    "dash.blocked": ("Blocked orders by reason", "理由別の保留中の受注"),
    "dash.no_blocked": ("No order is blocked.", "保留中の受注はありません。"),
    "dash.licences": ("Licences near expiry or exhaustion", "期限切れ間近・残量僅少の許可証"),
    "dash.no_warnings": ("No licence is near expiry or exhaustion.", "期限切れ間近・残量僅少の許可証はありません。"),
    "dash.in_force": ("Licences in force", "有効な許可証"),
    "dash.changes": ("Recent regulation changes", "最近の規制変更"),
    "dash.no_changes": ("No change in the pack up to this date.", "この日までの変更はありません。"),
    "dash.more_facts": ("and {count} more", "ほか {count} 件"),
    "warn.expiry": ("near expiry", "期限間近"),
    "warn.exhaustion": ("near exhaustion", "残量僅少"),
    "warn.exhausted": ("exhausted", "使用済み（残量なし）"),
    "lic.state": ("State", "状態"),
    "lic.state.active": ("active", "有効"),
    "lic.state.expired": ("expired", "期限切れ"),
    "lic.state.exhausted": ("exhausted", "使用済み（残量なし）"),
    "lic.shipped_on": ("Shipped on", "出荷日"),
    "dash.blocked_total": ("{count} blocked orders", "保留中の受注 {count} 件"),
    "dash.view_orders": ("View orders", "受注を表示"),
    "dash.more_orders": ("and {count} more", "ほか {count} 件"),
    "dash.more_licences": ("{count} more in the licence book", "許可証台帳にほか {count} 件"),
    # orders
    "orders.title": ("Orders", "受注"),
    "orders.number": ("Order number", "受注番号"),
    "orders.ship_date": ("Ship date", "出荷日"),
    "orders.destination": ("Destination", "仕向地"),
    "orders.destination_region": (
        "Region of the destination (ISO 3166-2, if a law treats it apart)",
        "仕向地の地域（ISO 3166-2、法令が区別する場合）",
    ),
    "orders.origin": ("From (EU: member state of export)", "輸出元（EU：輸出加盟国）"),
    "orders.consignee": ("Consignee", "需要者（荷受人）"),
    "orders.end_user": ("End user", "最終需要者"),
    "orders.end_use": ("End use", "用途"),
    "orders.status": ("Status", "状態"),
    "orders.outcome": ("Outcome", "判定"),
    "orders.blocked_by": ("Blocked by", "保留理由"),
    "orders.none": ("No orders.", "受注はありません。"),
    "orders.lines": ("Lines", "明細"),
    "orders.line": ("Line", "行"),
    "orders.item": ("Item", "品目"),
    "orders.reference": ("Reference", "該当項番等"),
    "orders.entries": ("Entries", "該当項番"),
    "orders.quantity": ("Quantity", "数量"),
    "orders.value": ("Value (JPY)", "価額（円）"),
    "orders.value_eur": ("Value (EUR)", "価額（ユーロ）"),
    "orders.eligible": ("Eligible licences", "利用可能な許可"),
    "orders.assigned": ("Assigned licence", "割当許可証"),
    "orders.reasons": ("Reasons", "判定理由"),
    "orders.determination": ("Determination", "判定結果"),
    "orders.also_under": ("Also under {regime}", "{regime}規制での判定"),
    "orders.us_content": ("US content (%)", "米国産品比率（%）"),
    "entry.also_under": ("Also decide under", "他の規制でも判定"),
    "orders.missing": ("Missing", "不足情報"),
    "orders.hits": ("Screening hits", "スクリーニング該当"),
    "orders.releases": ("Releases", "出荷許可の記録"),
    "orders.release": ("Release", "保留解除"),
    "orders.release_reason": ("Reason for the release", "解除の理由"),
    "orders.ship": ("Ship", "出荷"),
    "orders.redetermine": ("Determine again", "再判定"),
    "orders.group": ("Destination group", "仕向地グループ"),
    "orders.determined_with": ("Determined with pack {version}", "パック {version} で判定"),
    "orders.released": ("Order released.", "受注の保留を解除しました。"),
    "orders.shipped": ("Order shipped.", "出荷しました。"),
    "orders.shipped_on": ("Order shipped on {date}.", "{date} に出荷しました。"),
    "orders.shipped_date": ("Shipped on", "出荷日（実績）"),
    "orders.ship_on": ("Ship date (actual)", "出荷日（実績）"),
    "orders.awaiting_second": (
        "Approval recorded: awaiting second approval ({approvals} of {needed}). The order stays blocked until "
        "another officer approves.",
        "承認を記録しました。2人目の承認待ちです（{approvals}/{needed}）。別の担当官が承認するまで保留のままです。",
    ),
    "orders.awaiting_state": (
        "Awaiting second approval ({approvals} of {needed})",
        "2人目の承認待ち（{approvals}/{needed}）",
    ),
    "orders.released_by_licence": (
        "Order released: licence {licences} from the licence book covers it.",
        "許可証台帳の許可 {licences} が適用され、保留を解除しました。",
    ),
    "orders.licence_hint": (
        "A licence-needed block is lifted only by a licence in the licence book that fits every line; enter the "
        "licence in the book first. Other reasons are overridden with your reason.",
        "「許可が必要」の保留は、すべての明細に適合する許可証が台帳にある場合にのみ解除されます。先に許可証を台帳に登録してください。"
        "その他の理由は、入力した理由により解除されます。",
    ),
    "orders.redetermined": ("Order determined again.", "再判定しました。"),
    "orders.created": ("Order {number} entered.", "受注 {number} を登録しました。"),
    # order entry
    "entry.title": ("New order", "受注登録"),
    "entry.live": ("Live determination", "リアルタイム判定"),
    "entry.live_hint": (
        "Fill in the destination, the date and a line: the determination appears here as you type.",
        "仕向地・日付・明細を入力すると、ここに判定結果が表示されます。",
    ),
    "entry.wmd": ("WMD end use", "大量破壊兵器等の用途"),
    "entry.conventional": ("Conventional-weapons end use", "通常兵器の用途"),
    "entry.repression": (
        "Internal repression / human-rights violations (EU Art. 5)",
        "国内抑圧・重大な人権侵害への使用（EU第5条）",
    ),
    "entry.informed": ("Informed by METI", "インフォーム通知あり"),
    "entry.clearly_not": ("'Clearly not' guideline applied", "明らかガイドライン該当"),
    "entry.item_or_reference": ("Item, or reference (entry, number, hs:CODE)", "品目、または項番・番号・hs:コード"),
    "entry.add_line": ("Add a line", "明細を追加"),
    "entry.submit": ("Enter the order", "受注を登録"),
    "entry.choose": ("— choose —", "— 選択 —"),
    "entry.not_stored": ("Not stored: a preview of the determination.", "保存されていません（判定のプレビュー）。"),
    "entry.error": ("The order was not entered: {message}", "受注を登録できませんでした：{message}"),
    # outcomes and statuses
    "outcome.no_licence_required": ("No licence required", "許可不要"),
    "outcome.licence_required": ("Licence required", "許可必要"),
    "outcome.prohibited": ("Prohibited", "禁止"),
    "outcome.indeterminate": ("Indeterminate", "判定不能"),
    "status.released": ("released", "出荷可"),
    "status.blocked": ("blocked", "保留"),
    "status.shipped": ("shipped", "出荷済"),
    "status.new": ("new", "新規"),
    "block.licence-needed": ("Licence needed", "許可が必要"),
    "block.screening-hit": ("Screening hit", "スクリーニング該当"),
    "block.indeterminate": ("Indeterminate", "判定不能"),
    "block.prohibited": ("Prohibited", "禁止"),
    # screening
    "screen.title": ("Screening workbench", "スクリーニング・ワークベンチ"),
    "screen.open": ("Parties with open hits", "未確認の該当がある取引先"),
    "screen.no_open": ("No open hits.", "未確認の該当はありません。"),
    "screen.list": ("List", "リスト"),
    "screen.entity": ("Listed entity", "掲載者"),
    "screen.matched": ("Matched name", "一致した名称"),
    "screen.score": ("Score", "スコア"),
    "screen.explanation": ("Why it matched", "一致の理由"),
    "screen.aligned": ("Aligned tokens", "対応する語"),
    "screen.unmatched": ("Unmatched", "対応なし"),
    "screen.adjustments": ("Adjustments", "補正"),
    "screen.method": ("Method", "方法"),
    "screen.confirm": ("Confirm", "該当と確認"),
    "screen.false_positive": ("False positive", "非該当（誤検知）"),
    "screen.reviewed": ("Hit reviewed.", "該当を確認しました。"),
    "screen.reviewed_hits": ("Reviewed hits", "確認済の該当"),
    "screen.quick": ("Quick screen", "クイック・スクリーニング"),
    "screen.quick_hint": ("Name in any script; country optional.", "名称（任意の文字）、国・地域は任意。"),
    "screen.no_hits": ("No hits.", "該当なし。"),
    "screen.no_lists": ("No screening lists are loaded.", "スクリーニング・リストが読み込まれていません。"),
    "hit.open": ("open", "未確認"),
    "hit.confirmed": ("confirmed", "該当"),
    "hit.false-positive": ("false positive", "非該当"),
    # licences
    "lic.title": ("Licence book", "許可証台帳"),
    "lic.number": ("Licence number", "許可番号"),
    "lic.type": ("Type", "種類"),
    "lic.holder": ("Holder", "許可取得者"),
    "lic.validity": ("Validity", "有効期間"),
    "lic.valid_from": ("Valid from", "有効期間開始"),
    "lic.valid_to": ("Valid to", "有効期間終了"),
    "lic.destinations": ("Destinations", "仕向地"),
    "lic.consignees": ("Consignees", "需要者"),
    "lic.end_users": ("End users", "最終需要者"),
    "lic.items": ("Items", "品目"),
    "lic.utilisation": ("Utilisation", "使用状況"),
    "lic.value": ("Value", "価額"),
    "lic.quantity": ("Quantity", "数量"),
    "lic.value_limit": ("Value limit (JPY)", "価額上限（円）"),
    "lic.quantity_limit": ("Quantity limit", "数量上限"),
    "lic.unlimited": ("no limit", "上限なし"),
    "lic.any": ("any", "制限なし"),
    "lic.drawdowns": ("Drawdowns", "使用実績"),
    "lic.no_drawdowns": ("Nothing drawn yet.", "使用実績はありません。"),
    "lic.drawn_by": ("Drawn by", "記録者"),
    "lic.add": ("Add a licence", "許可証を登録"),
    "lic.list_hint": ("Comma-separated; empty means any.", "カンマ区切り。空欄は制限なし。"),
    "lic.added": ("Licence {number} added.", "許可証 {number} を登録しました。"),
    "lic.none": ("No licences.", "許可証はありません。"),
    # items and classification
    "items.title": ("Items", "品目"),
    "items.description": ("Description", "品名"),
    "items.hs": ("HS code", "HSコード"),
    "items.classification": ("Classification", "該非判定"),
    "items.history": ("Classification history", "該非判定の履歴"),
    "items.rationale": ("Rationale", "判定理由"),
    "items.classified_by": ("By", "判定者"),
    "items.classify": ("Classify", "該非判定を記録"),
    "items.classified": ("Classification recorded.", "該非判定を記録しました。"),
    "items.none": ("No items.", "品目はありません。"),
    "cls.title": ("Control list", "リスト規制"),
    "cls.search": ("Search the control list", "リスト規制の検索"),
    "cls.search_hint": (
        "Entry id (3(1)), international number (1C350) or words of the title, in English or Japanese.",
        "項番（3(1)）、国際番号（1C350）、または名称の語（英語・日本語）。",
    ),
    "cls.entry": ("Entry", "項番"),
    "cls.row": ("Row", "項"),
    "cls.numbers": ("International numbers", "国際番号"),
    "cls.clauses": ("Clauses", "細目"),
    "cls.no_results": ("Nothing found.", "該当なし。"),
    "cls.spec": ("Compare a specification", "仕様の比較"),
    "cls.product": ("Product", "製品"),
    "cls.parameters": ("Parameters", "パラメータ"),
    "cls.compare": ("Compare", "比較"),
    "cls.criterion": ("Criterion", "基準"),
    "cls.actual": ("Value given", "入力値"),
    "cls.holds": ("holds", "該当"),
    "cls.fails": ("fails", "非該当"),
    "cls.unknown": ("unknown", "不明"),
    "cls.status": ("Result", "結果"),
    "cls.status.listed": ("Listed", "リスト規制該当"),
    "cls.status.catch-all": ("Not on the control list (catch-all)", "リスト規制非該当（キャッチオール対象）"),
    "cls.status.not-controlled": ("Not controlled", "規制対象外"),
    "cls.status.undetermined": ("Undetermined", "判定不能"),
    "cls.candidates": ("Clauses compared", "比較した細目"),
    "cls.verdict": ("Verdict", "判定"),
    "cls.match": ("matches", "該当"),
    "cls.no_match": ("does not match", "非該当"),
    "cls.undecided": ("cannot decide", "判定不能"),
    "cls.in_force_on": ("In force on", "基準日"),
    "cls.coverage": ("What the pack covers", "パックの収録範囲"),
    "cls.coverage_link": ("Every entry in force, with criteria and completeness", "施行中の全項番（基準と網羅性）"),
    "cls.kind": ("Kind", "種別"),
    "cls.kind.goods": ("Goods", "貨物"),
    "cls.kind.technology": ("Technology", "技術"),
    "cls.criteria": ("Criteria", "基準数"),
    "cls.complete": ("Complete", "網羅"),
    "cls.verified": ("Verified against the text of", "照合した条文"),
    "cls.unencoded": ("Sub-items of the law without an entry", "未収録の号"),
    "cls.summary": ("{total} entries in force, {complete} complete", "施行中 {total} 項番、うち網羅 {complete}"),
    "cls.choose_product": ("Choose a product to see its parameters.", "製品を選ぶとパラメータが表示されます。"),
    # regime
    "reg.title": ("Regime on a date", "指定日の規制内容"),
    "reg.groups": ("Country groups", "国・地域グループ"),
    "reg.group": ("Group {group}", "グループ{group}"),
    "reg.group_rest": ("Every country not in another group", "他のグループに属さない全ての国・地域"),
    "reg.tables": ("Country tables", "国・地域の表"),
    "reg.measures": ("Measures in force", "有効な特別措置"),
    "reg.embargoes": ("Embargoes", "禁輸措置"),
    "reg.no_measures": ("No special measure in force.", "有効な特別措置はありません。"),
    "reg.valid": ("Unchanged from {start} to {end}", "{start} から {end} まで変更なし"),
    "reg.open_end": ("open", "現在"),
    "reg.diff": ("What changed between two dates", "二つの日付の間の変更"),
    "reg.from": ("From", "開始日"),
    "reg.to": ("To", "終了日"),
    "reg.change_dates": ("Change dates", "変更日"),
    "reg.no_diff": ("Nothing changed.", "変更はありません。"),
    "reg.change": ("Change", "変更"),
    "reg.fact": ("Fact", "内容"),
    "change.added": ("added", "追加"),
    "change.removed": ("removed", "削除"),
    "change.changed": ("changed", "変更"),
    "reg.facts": ("{count} facts in force", "有効な事項 {count} 件"),
    "regime.label": ("Regime", "規制"),
    "regime.choose": ("Choose", "切替"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "ja" else pair[0]


@dataclass(frozen=True)
class Translator:
    lang: str

    def __call__(self, key: str, **values: Any) -> str:
        pair = MESSAGES.get(key)
        if pair is None:
            return key  # tests check that every key used in a template exists
        text = _pick(pair, self.lang)
        return text.format(**values) if values else text

    def text(self, value: Any) -> str:
        """A pack text (`title.en` / `title.ja`) in this language."""
        if value is None:
            return ""
        return str(getattr(value, self.lang, None) or getattr(value, "en", value))

    def other(self) -> str:
        return "en" if self.lang == "ja" else "ja"


def negotiate(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return str(asked)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def translator(request: Request) -> Translator:
    return Translator(negotiate(request))

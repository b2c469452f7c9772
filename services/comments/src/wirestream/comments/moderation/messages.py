"""Reason codes and their explanations, in English and Arabic, declared once."""

from __future__ import annotations

from .model import Decision, Outcome, Step

__all__ = ["MESSAGES", "decide"]

# reason code -> (English, Arabic). Placeholders are filled by ``decide``.
MESSAGES: dict[str, tuple[str, str]] = {
    "reader-active": ("Your account may comment.", "يمكن لحسابك التعليق."),
    "reader-banned": (
        "Your account is banned from commenting.",
        "حسابك محظور من التعليق.",
    ),
    "reader-suspended": (
        "Your account is suspended, so you cannot comment for now.",
        "حسابك موقوف مؤقتاً، لذا لا يمكنك التعليق حالياً.",
    ),
    "comments-open": ("Comments are open on this article.", "التعليقات مفتوحة على هذا المقال."),
    "comments-closed": (
        "Comments are closed on this article.",
        "التعليقات مغلقة على هذا المقال.",
    ),
    "length-ok": ("The comment's length is within limits.", "طول التعليق ضمن الحدود المسموح بها."),
    "too-short": (
        "The comment is too short: it needs at least {limit} characters.",
        "التعليق أقصر من اللازم: يجب ألا يقل عن {limit} من الأحرف.",
    ),
    "too-long": (
        "The comment is too long: it may have at most {limit} characters.",
        "التعليق أطول من المسموح: يجب ألا يزيد على {limit} من الأحرف.",
    ),
    "no-listed-words": (
        "The comment contains no listed words.",
        "لا يحتوي التعليق على أي كلمة من القوائم.",
    ),
    "banned-word": (
        "The comment contains language that is not allowed.",
        "يحتوي التعليق على ألفاظ غير مسموح بها.",
    ),
    "suspect-word": (
        "The comment contains words that a moderator will review.",
        "يحتوي التعليق على كلمات سيراجعها أحد المشرفين.",
    ),
    "links-ok": ("The number of links is within limits.", "عدد الروابط ضمن الحد المسموح به."),
    "too-many-links": (
        "The comment has more than {limit} links, so a moderator will review it.",
        "يحتوي التعليق على أكثر من {limit} من الروابط، لذا سيراجعه أحد المشرفين.",
    ),
    "not-repeated": (
        "The comment does not repeat a recent one.",
        "التعليق ليس تكراراً لتعليق حديث.",
    ),
    "repeated-post": (
        "You have already posted this comment.",
        "سبق أن نشرت هذا التعليق.",
    ),
    "established-reader": (
        "The reader has enough approved comments.",
        "لدى القارئ ما يكفي من التعليقات المعتمدة.",
    ),
    "new-reader": (
        "Comments from new readers are reviewed before they appear.",
        "تُراجَع تعليقات القراء الجدد قبل ظهورها.",
    ),
    "scorer-disabled": ("No automatic check is configured.", "لا يوجد فحص آلي مُعَدّ."),
    "scorer-skipped": (
        "The automatic check was skipped because the comment is already refused.",
        "لم يُجرَ الفحص الآلي لأن التعليق مرفوض أصلاً.",
    ),
    "scorer-passed": ("The comment passed the automatic check.", "اجتاز التعليق الفحص الآلي."),
    "scorer-flagged": (
        "An automatic check flagged the comment for a moderator to review.",
        "أشار الفحص الآلي إلى التعليق ليراجعه أحد المشرفين.",
    ),
    "scorer-unavailable": (
        "The automatic check was unavailable, so a moderator will review the comment.",
        "تعذّر إجراء الفحص الآلي، لذا سيراجع أحد المشرفين التعليق.",
    ),
    "premoderation-off": (
        "Comments here appear without prior review.",
        "تظهر التعليقات هنا دون مراجعة مسبقة.",
    ),
    "premoderation": (
        "Comments here are reviewed before they appear.",
        "تُراجَع التعليقات هنا قبل ظهورها.",
    ),
}


def decide(
    step: Step, outcome: Outcome, reason: str, *, detail: str = "", **values: object
) -> Decision:
    """Build a :class:`Decision` with the catalogued explanations for ``reason``."""
    english, arabic = MESSAGES[reason]
    return Decision(
        step=step,
        outcome=outcome,
        reason=reason,
        explanation_en=english.format(**values),
        explanation_ar=arabic.format(**values),
        detail=detail,
    )

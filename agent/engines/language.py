"""Rules that read a stakeholder's sentence: stance, strength and injection.

These rules are deliberately few and general, so they hold on transcripts nobody has
seen. Each returns the reason it fired, which travels with the evidence item.

- Future intent and plans describe what does not exist yet: they contradict.
- Negation and absence contradict, except double negatives of control ("nothing ships
  without a review"), which support.
- Hedges and self-assessments are claims: recorded, never counted.
- A statement with something checkable (a number, a named tool, an artefact, a
  cadence, an incident, a coverage word like "every team") is specific; other
  factual statements are general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.assessment.model import Stance, Strength


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


FUTURE = _rx(
    r"\b(?:plan|plans|planning|planned) to\b", r"\bgoing to\b", r"\bwe(?:'ll| will) (?!always)",
    r"\bhope to\b", r"\bhoping to\b", r"\bwant(?:s)? to\b", r"\bwould like to\b", r"\baim(?:ing)? to\b",
    r"\bintend(?:s|ing)? to\b", r"\bnext (?:quarter|year|month|half|sprint)\b",
    r"\bsomeday\b", r"\beventually\b", r"\bnot yet\b", r"\byet to\b", r"\bon the roadmap\b",
    r"\bin the works\b", r"\bstill (?:working on|figuring|trying|building|discussing)\b",
    r"\bthinking about\b", r"\bconsidering\b", r"\bpiloting next\b", r"\bhaven't (?:\w+ )?yet\b",
    r"\bshould (?:really )?(?:have|start|build|get)\b", r"\bneed(?:s)? to (?:build|get|start|set up|create)\b",
    r"\bwe(?:'re| are) (?:about|looking) to\b", r"\bby (?:q[1-4]|the end of)\b",
)
NEGATION = _rx(
    r"\b(?:don't|doesn't|didn't|do not|does not|did not) (?:really )?(?:have|use|track|run|own|"
    r"measure|monitor|know|get|do|exist|review|document)\b",
    r"\bno(?:body| one)\b", r"\bnone\b", r"\bnever\b", r"\bnothing\b",
    r"\b(?:isn't|aren't|wasn't|weren't|is not|are not|was not|were not)\b",
    r"\b(?:can't|cannot|couldn't|could not|won't)\b", r"\black(?:s|ing)?\b", r"\bzero\b",
    r"\bthere(?:'s| is| are) no\b", r"\bwe have no\b", r"\bno (?:one|formal|real|dedicated|"
    r"shared|central|budget|process|policy|strategy|owner|monitoring|tracking|registry|catalog|"
    r"documentation|review|governance|way)\b", r"\bwithout (?:any|a)\b", r"\bnot (?:really|much|"
    r"a|an|any|the)\b", r"\bonly on (?:my|his|her|their) laptop\b", r"\bad[- ]hoc\b",
    r"\bby hand\b", r"\bmanually\b", r"\bspreadsheet\b",
)
# "No model ships without a review", "never deploy without approval": control, not absence.
DOUBLE_NEGATIVE = _rx(
    r"\b(?:no|nothing|nobody|never|can't|cannot|won't|not)\b[^.?!]{0,60}\b(?:without|unless|until|"
    r"before)\b",
    r"\bnot (?:only|just)\b",
    # Denying a weak practice is a sign of a strong one: "nobody hand-exports anything",
    # "we no longer deploy from laptops".
    r"\b(?:no|nobody|no one|never|nothing|not|no longer|none of)\b[^.?!]{0,50}\b(?:manual|manually|by hand|hand-\w+|ad[- ]hoc|spreadsheets?|laptops?|e-?mail(?:ed)?|copy|copies|guess|guesswork|heroics?|one-off)\b",
    r"\bno longer\b", r"\bnot anymore\b", r"\bany more\b", r"\banymore\b", r"\bretired\b",
)
HEDGE = _rx(
    r"\bI (?:think|believe|guess|feel|suppose|assume|reckon)\b", r"\bprobably\b", r"\bmaybe\b",
    r"\bperhaps\b", r"\bsort of\b", r"\bkind of\b", r"\bmore or less\b", r"\bpretty (?:much|good|"
    r"mature|advanced|solid)\b", r"\bfairly\b", r"\bsomewhat\b", r"\bin theory\b", r"\bsupposedly\b",
    r"\bI'm (?:pretty |fairly )?sure\b", r"\bas far as I know\b", r"\bI'd say\b",
    r"\bshould be\b",
)
SELF_ASSESSMENT = _rx(
    r"\blevel (?:[1-5]|one|two|three|four|five)\b", r"\bworld[- ]class\b", r"\bbest[- ]in[- ]class\b",
    r"\bcutting[- ]edge\b", r"\bstate[- ]of[- ]the[- ]art\b", r"\bindustry[- ]leading\b",
    r"\bvery (?:mature|advanced|strong|good)\b", r"\bhighly mature\b", r"\bfully (?:mature|optimi[sz]ed)\b",
    r"\b(?:we're|we are) (?:really |very |quite |super )?(?:mature|advanced|ahead|great|excellent|the best)\b",
    r"\bbasically (?:there|done|level)\b", r"\bmature in everything\b", r"\bAI[- ]first\b",
    r"\bleaders? in\b", r"\bahead of (?:everyone|the industry|the curve|our peers)\b",
)
INJECTION = _rx(
    r"\bignore (?:all |any |the |previous |prior |your |above )*(?:instructions|rubric|rules|prompt)",
    r"\bdisregard (?:all |any |the |previous |prior |your |above )*(?:instructions|rubric|rules)",
    r"^\s*\[?(?:system|assistant|developer)\]?\s*[:>\]]", r"\bsystem prompt\b",
    r"\b(?:assessor|evaluator|grader|model|ai|assistant)\b[,:]? (?:please )?(?:note|record|score|rate|"
    r"output|mark|give|assign|set)\b", r"\b(?:score|rate|mark|grade|assign) (?:us|every|all|each|this)"
    r"[^.]{0,40}\b(?:level )?(?:5|five|4|four)\b", r"\bnew instructions\b",
    r"\byou (?:must|will|should) (?:now )?(?:score|rate|output|respond|answer|ignore)\b",
    r"\boverride\b[^.]{0,30}\b(?:score|rubric|instructions)\b", r"</?(?:system|instructions?)>",
)
SPECIFIC = _rx(
    r"\d", r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|dozen|dozens|half|quarter)\b",
    r"\b(?:every|all|each) (?:\w+ ){0,2}(?:team|teams|model|models|squad|squads|project|projects|"
    r"deploy|deployment|deployments|release|releases|dataset|datasets|feature|features|pipeline|"
    r"pipelines|system|systems|engineer|engineers|department|departments|week|month|quarter|"
    r"sprint|night|day|change)\b",
    r"\b(?:weekly|monthly|quarterly|daily|nightly|annually|biweekly|fortnightly)\b",
    r"\b(?:since|last|in) (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december|spring|summer|autumn|fall|winter|year|quarter|month)\b",
    r"\b(?:document|doc|policy|charter|runbook|playbook|dashboard|registry|catalog|catalogue|"
    r"checklist|template|rubric|board|committee|council|review|audit|incident|outage|postmortem|"
    r"post-mortem|retro|retrospective|budget|headcount|job description|contract|sla|slo|"
    r"alert|pager|on-call|rotation|model card|lineage|ticket|jira|wiki|confluence|okr|kpi)s?\b",
)
# Named products and acronyms (MLflow, SageMaker, W&B, SOC2, GDPR): case matters here.
NAMED = re.compile(
    r"\b(?:[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z]{2,}[a-z][A-Za-z0-9]*|[A-Z]+&[A-Z]+|[A-Z]{3,}\d*)\b"
)


@dataclass(frozen=True)
class Reading:
    stance: Stance
    strength: Strength
    reason: str


def is_injection(text: str) -> bool:
    return bool(INJECTION.search(text))


def read_statement(text: str) -> Reading:
    """Decide what a sentence proves, and say why."""
    if SELF_ASSESSMENT.search(text):
        return Reading("supports", "claim", "self-assessment, not evidence")
    future = FUTURE.search(text)
    if future:
        return Reading("contradicts", "general", f"future intent ('{future.group(0)}'): not in place")
    negation = NEGATION.search(text)
    if negation and not DOUBLE_NEGATIVE.search(text):
        strength: Strength = "specific" if SPECIFIC.search(text) or NAMED.search(text) else "general"
        return Reading("contradicts", strength, f"negation or absence ('{negation.group(0)}')")
    hedge = HEDGE.search(text)
    if hedge:
        return Reading("supports", "claim", f"hedged ('{hedge.group(0)}'): a claim, not evidence")
    specific = SPECIFIC.search(text) or NAMED.search(text)
    if specific:
        return Reading("supports", "specific", f"specific and checkable ('{specific.group(0)}')")
    return Reading("supports", "general", "factual statement without checkable detail")

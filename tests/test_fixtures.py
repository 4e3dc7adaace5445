"""The five fixtures against their source documents.

Counts per domain and level were taken by hand from the documents in ../shared/seeds (the table
cells of Stoke-on-Trent, the bullets of Newcastle, Dudley and Hull); see fixtures/README.md for
how extraction damage was repaired. The exact texts pin the document's own words.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from guidance.loader import MAX_DOCUMENT_BYTES
from guidance.models import Authority, Contact, Indicator

from .helpers import real_document_paths

# The test database holds the purpose-made documents; this module loads the real ones on top.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_documents")]

LEVEL_NAMES = {
    "stoke-on-trent": ["Universal Services", "Initial Early Help", "Early Help", "Safeguarding"],
    "newcastle": ["Universal", "Additional", "Integrated", "Specialist"],
    "dudley": ["Universal Services", "Additional", "Intensive", "Specialist"],
    "gloucestershire": ["Universal", "Additional", "Intensive", "Specialist"],
    "hull": [
        "Universal services",
        "Additional support",
        "Targeted early help support",
        "Specialist support",
    ],
}

# (domain, theme): indicators at levels 1, 2, 3, 4
COUNTS = {
    "stoke-on-trent": {
        ("Health", "health"): [8, 8, 8, 8],
        ("Learning and Education", "learning"): [6, 6, 6, 2],
        ("Emotional and Behavioural Development", "emotional"): [4, 4, 4, 4],
        ("Identity", "identity"): [6, 6, 6, 6],
        ("Social Presentation", "identity"): [2, 2, 2, 2],
        ("Self-Care", "self-care"): [1, 1, 1, 1],
        ("Basic Care", "parenting"): [4, 4, 4, 4],
        ("Ensuring Safety", "parenting"): [1, 1, 1, 2],
        ("Emotional Warmth", "parenting"): [2, 2, 2, 2],
        ("Stimulation", "parenting"): [1, 1, 1, 1],
        ("Guidance and Boundaries", "parenting"): [1, 1, 1, 1],
        ("Stability", "parenting"): [1, 1, 1, 2],
        ("Family History", "family"): [1, 1, 1, 4],
        ("Wider Family", "family"): [1, 1, 1, 1],
        ("Housing, Employment and Income", "housing"): [3, 3, 3, 3],
        ("Social Integration and Community Resources", "community"): [3, 3, 3, 2],
    },
    "newcastle": {
        ("Learning and Education", "learning"): [4, 6, 3, 6],
        ("Health", "health"): [2, 5, 4, 4],
        ("Social, Emotional, Behavioural and Identity", "emotional"): [3, 7, 3, 4],
        ("Family, Environment and Relationships", "family"): [10, 13, 15, 10],
        ("Self care and independence", "self-care"): [1, 2, 1, 1],
    },
    "dudley": {
        ("Education", "learning"): [7, 8, 9, 11],
        ("Emotional & Behavioural Development", "emotional"): [7, 15, 9, 8],
        ("Health, Care & Protection", "health"): [9, 3, 17, 24],
        ("Parents/Carers", "parenting"): [7, 12, 10, 9],
        ("Risks outside of my home", "outside-home"): [1, 5, 5, 8],
    },
    "gloucestershire": {},
    "hull": {
        ("Factors relating to the child or young person's health and development", "health"): [
            13,
            11,
            17,
            14,
        ],
        ("Factors relating to parents and carers", "parenting"): [6, 10, 10, 8],
        ("Relating to Family and Environmental Factors", "family"): [4, 6, 9, 7],
    },
}

TOTALS = {
    "stoke-on-trent": [45, 45, 45, 45],
    "newcastle": [20, 33, 26, 25],
    "dudley": [31, 43, 50, 60],
    "gloucestershire": [0, 0, 0, 0],
    "hull": [23, 27, 36, 29],
}

# name: (phones, emails, emergency)
CONTACTS = {
    "stoke-on-trent": {
        "Advice and Access Team": (["01782 232200"], ["CW@stoke.gov.uk"], False),
        "Early Help Co-ordinator": (
            ["01782 231964", "01782 232200"],
            ["early.help@stoke.gov.uk"],
            False,
        ),
        "North Locality Social Workers": (
            ["01782 237677", "07827 281639", "07826 891800"],
            [],
            False,
        ),
        "South Locality Social Workers": (
            ["01782 237520", "07771 508475", "07717 892744"],
            [],
            False,
        ),
        "Early Intervention Service – Yellow Team": (["01782 232345"], [], False),
        "Early Intervention Service – Red Team": (["01782 232685"], [], False),
        "Early Intervention Service – Orange Team": (["01782 232380"], [], False),
        "Early Intervention Service – Green Team": (["01782 232330"], [], False),
        "Early Intervention Service – Blue Team": (["01782 232333"], [], False),
        "Early Intervention Service – Pink Team": (["01782 232444"], [], False),
        "Children's Social Care, Safeguarding Referral Team": (["01782 235100"], [], True),
        "Emergency Duty Team": (["01782 234234"], [], True),
        "Safeguarding Children Board website": ([], [], False),
    },
    "newcastle": {
        "Police": (["999"], [], True),
        "Early Help Assessment and Early Help Advisory Teams": (
            ["0191 211 5805"],
            ["earlyhelp@newcastle.gov.uk"],
            False,
        ),
    },
    "dudley": {
        "Children's Front Door": (["0300 555 0050"], [], True),
        "Emergency Duty Team": (["0300 555 8574"], [], True),
        "Police": (["999"], [], True),
        "Designated Officer (LADO)": (["01384 813110"], ["allegations@dudley.gov.uk"], False),
        "Early Help portal": ([], [], False),
        "West Midlands Regional Safeguarding Procedures": ([], [], False),
    },
    "gloucestershire": {
        "Early Help Advice, Guidance and Support Team (Cheltenham)": (
            ["01452 328160"],
            ["cheltenhamearlyhelp@gloucestershire.gov.uk"],
            False,
        ),
        "Early Help Advice, Guidance and Support Team (Cotswolds)": (
            ["01452 328101"],
            ["cotswoldsearlyhelp@gloucestershire.gov.uk"],
            False,
        ),
        "Early Help Advice, Guidance and Support Team (Forest of Dean)": (
            ["01452 328048"],
            ["forestofdeanearlyhelp@gloucestershire.gov.uk"],
            False,
        ),
        "Early Help Advice, Guidance and Support Team (Gloucester)": (
            ["01452 328076"],
            ["gloucesterearlyhelp@gloucestershire.gov.uk"],
            False,
        ),
        "Early Help Advice, Guidance and Support Team (Stroud)": (
            ["01452 328130"],
            ["stroudearlyhelp@gloucestershire.gov.uk"],
            False,
        ),
        "Early Help Advice, Guidance and Support Team (Tewkesbury)": (
            ["01452 328251"],
            ["tewkesburyearlyhelp@gloucestershire.gov.uk"],
            False,
        ),
        "Multi-Agency Safeguarding Hub (MASH)": (["01452 426565"], [], True),
        "Emergency": (["999"], [], True),
        "Family Information Service (FIS)": (
            ["01452 427362", "0800 542 0202"],
            ["familyinfo@gloucestershire.gov.uk"],
            False,
        ),
        "GlosFamilies Directory": ([], [], False),
        "Family Group Conferencing": (["01242 532353"], ["fgc@gloucestershire.gov.uk"], False),
        "Triple P Parenting": (["01452 427362"], ["earlyhelp@gloucestershire.gov.uk"], False),
        "Special Educational Needs and Disability Information Advice and Support Service "
        "(SENDIASS) Gloucestershire": (
            ["01452 389345"],
            ["sendiass@carersgloucestershire.org.uk"],
            False,
        ),
        "The Early Years Service": (
            ["01452 427224"],
            ["eyservice@gloucestershire.gov.uk", "eybusinesssupport@gloucestershire.gov.uk"],
            False,
        ),
    },
    "hull": {
        "Hull Safeguarding Children Board Guidelines and Procedures": ([], [], False),
        "Early Help Locality Hub": ([], ["Early.Help@hullcc.gcsx.gov.uk"], False),
        "Hull's local offer for CWD": ([], [], False),
        "West Locality Early Help Hub – Priory Children Centre": (["305770"], [], False),
        "East Locality Early Help Hub – Acorns Children Centre": (["708953"], [], False),
        "North Locality Early Help Hub – Lemon Tree Children Centre": (["828901"], [], False),
        "Early Help and Safeguarding Hub (EHASH)": (
            ["01482 448879"],
            ["EHASHgc@hullcc.gcsx.gov.uk", "EHASH@hullcc.gov.uk"],
            True,
        ),
    },
}

EDITIONS = {
    "stoke-on-trent": "2017, updated 16 October 2017",
    "newcastle": "amended March 2023",
    "dudley": "Undated (cites Working Together 2023)",
    "gloucestershire": "Update March 2020",
    "hull": "May 2018",
}

EXACT_TEXTS = [
    (
        "stoke-on-trent",
        1,
        "Health",
        "Routine medical appointments, including dental and optical care are attended as required.",
    ),
    (
        "stoke-on-trent",
        2,
        "Health",
        "Defaulting on routine medical appointments, including dental and optical appointments.",
    ),
    (
        "stoke-on-trent",
        3,
        "Health",
        "Medical appointments not being made when required and dental and optical concerns not being met.",
    ),
    (
        "stoke-on-trent",
        4,
        "Health",
        "Significant deterioration of medical condition including dental and optical treatment.",
    ),
    ("stoke-on-trent", 1, "Learning and Education", "Sound home – school link"),
    ("stoke-on-trent", 2, "Learning and Education", "Home – school link not well established."),
    ("stoke-on-trent", 3, "Learning and Education", "Home – school link failing."),
    (
        "stoke-on-trent",
        4,
        "Learning and Education",
        "Denied access to stimulation along with other risk factors",
    ),
    (
        "stoke-on-trent",
        1,
        "Emotional and Behavioural Development",
        "Behavioural difficulties well managed",
    ),
    (
        "stoke-on-trent",
        2,
        "Emotional and Behavioural Development",
        "Emerging difficulties around managing challenging/disruptive behaviour",
    ),
    (
        "stoke-on-trent",
        3,
        "Emotional and Behavioural Development",
        "Challenging / disruptive behaviour impacting on daily life, achievement and relationships etc.",
    ),
    (
        "stoke-on-trent",
        4,
        "Emotional and Behavioural Development",
        "Challenging / disruptive behaviour putting others or self in danger",
    ),
    ("stoke-on-trent", 1, "Identity", "Positive relationships with peers"),
    ("stoke-on-trent", 2, "Identity", "Has some difficulties sustaining relationships with peers"),
    (
        "stoke-on-trent",
        3,
        "Identity",
        "Peers also involved in challenging behaviour. Missing school or leisure activities. Isolated from peers",
    ),
    (
        "stoke-on-trent",
        4,
        "Identity",
        "Isolation affecting development or increasing risk of exploitation. No access to appropriate peer group",
    ),
    ("stoke-on-trent", 1, "Social Presentation", "Good level of personal hygiene"),
    ("stoke-on-trent", 2, "Social Presentation", "Level of hygiene causing concern"),
    (
        "stoke-on-trent",
        3,
        "Social Presentation",
        "Poor hygiene manifesting in physical difficulties (e.g. sores)",
    ),
    (
        "stoke-on-trent",
        4,
        "Social Presentation",
        "Experiencing significant issues or clear impairments. No engagement with services to address concerns",
    ),
    (
        "stoke-on-trent",
        1,
        "Self-Care",
        "Growing levels of confidence in practical and emotional skills, appropriate to age and development; feeding, dressing, independent living skills",
    ),
    (
        "stoke-on-trent",
        2,
        "Self-Care",
        "Appears to be lacking appropriate self-care skills for age and development",
    ),
    (
        "stoke-on-trent",
        3,
        "Self-Care",
        "Carer expectations or living circumstances not age or developmentally appropriate. Inappropriate young caring responsibility",
    ),
    (
        "stoke-on-trent",
        4,
        "Self-Care",
        "Child or young person neglects to use self-care skills due to alternative priorities or parental factors such mental health or substance misuse",
    ),
    ("stoke-on-trent", 1, "Basic Care", "Parents meeting own health needs"),
    ("stoke-on-trent", 2, "Basic Care", "Parents failing to attend to own health needs"),
    (
        "stoke-on-trent",
        3,
        "Basic Care",
        "Parents' failure to attend to health needs impacting on child or unborn child",
    ),
    (
        "stoke-on-trent",
        4,
        "Basic Care",
        "Unmet health needs of parents significantly impacting on child or unborn child",
    ),
    (
        "stoke-on-trent",
        1,
        "Ensuring Safety",
        "Able to protect from danger or significant harm in the home and elsewhere",
    ),
    (
        "stoke-on-trent",
        2,
        "Ensuring Safety",
        "Some exposure to dangerous situations in home/community. Parental stresses starting to affect ability to ensure child's safety",
    ),
    (
        "stoke-on-trent",
        3,
        "Ensuring Safety",
        "Perceived to be a problem by parent. Family coming to the attention of agencies due to risk. Parents not acknowledging risk or responding to advice and support, e.g. child left with inappropriate caregivers; witnessing substance misuse",
    ),
    (
        "stoke-on-trent",
        4,
        "Ensuring Safety",
        "Highly vulnerable children – unaccompanied asylum seekers; risk of homelessness; exploitation. Children whose families have no recourse to public funds",
    ),
    ("stoke-on-trent", 1, "Emotional Warmth", "Able to develop positive relationships"),
    ("stoke-on-trent", 2, "Emotional Warmth", "Parent appears to be isolated in the community"),
    ("stoke-on-trent", 3, "Emotional Warmth", "Inability to retain positive relationships"),
    (
        "stoke-on-trent",
        4,
        "Emotional Warmth",
        "Parental isolation impacting significantly on child's emotional development",
    ),
    (
        "stoke-on-trent",
        1,
        "Stimulation",
        "Facilitates cognitive development through interaction and play",
    ),
    (
        "stoke-on-trent",
        2,
        "Stimulation",
        "Limited development and failure to access universal services",
    ),
    (
        "stoke-on-trent",
        3,
        "Stimulation",
        "Not receiving positive stimulation - lack of new experiences and activities. Engagement with support not sustained. Not attending pre-school setting",
    ),
    (
        "stoke-on-trent",
        4,
        "Stimulation",
        "Child development adversely affected by lack of stimulation and support",
    ),
    (
        "stoke-on-trent",
        1,
        "Guidance and Boundaries",
        "Appropriate guidance and boundaries consistently in place",
    ),
    (
        "stoke-on-trent",
        2,
        "Guidance and Boundaries",
        "Appropriate guidance and boundaries lacking or inconsistent",
    ),
    (
        "stoke-on-trent",
        3,
        "Guidance and Boundaries",
        "Absence of appropriate guidance or boundaries putting child at risk. Child experiencing difficulties or putting themselves at risk in other settings",
    ),
    (
        "stoke-on-trent",
        4,
        "Guidance and Boundaries",
        "No effective boundaries or guidance set by parents placing child at significant risk. Beyond parental control",
    ),
    ("stoke-on-trent", 1, "Stability", "Consistent parenting leading to secure attachment"),
    (
        "stoke-on-trent",
        2,
        "Stability",
        "Parental stress beginning to influence on their ability to prioritise their child's needs.",
    ),
    (
        "stoke-on-trent",
        3,
        "Stability",
        "Frequent change of care-giver leading to instability. Lack of focus on child Parents' not prioritising child's needs due to significant / sustained parental stresses",
    ),
    (
        "stoke-on-trent",
        4,
        "Stability",
        "Parent not prioritising child's needs above their own, significantly impacting on child",
    ),
    (
        "stoke-on-trent",
        1,
        "Family History",
        "Good relationship with family, including where parents are separated",
    ),
    (
        "stoke-on-trent",
        2,
        "Family History",
        "Child not able to access full range of family relationships. Acrimonious divorce/separation.",
    ),
    ("stoke-on-trent", 3, "Family History", "Dysfunctional relationships between family members."),
    ("stoke-on-trent", 4, "Family History", "Forced Marriage"),
    (
        "stoke-on-trent",
        1,
        "Wider Family",
        "Sense of larger family network. Good relationships outside the family",
    ),
    (
        "stoke-on-trent",
        2,
        "Wider Family",
        "Family has poor relationship with extended family/little communication.",
    ),
    ("stoke-on-trent", 3, "Wider Family", "No effective support from extended family."),
    (
        "stoke-on-trent",
        4,
        "Wider Family",
        "Destructive involvement from extended family including significant risk. Private fostering arrangement",
    ),
    (
        "stoke-on-trent",
        1,
        "Housing, Employment and Income",
        "Parents are able to manage the working or unemployment arrangements and do not perceive them as unduly stressful",
    ),
    (
        "stoke-on-trent",
        2,
        "Housing, Employment and Income",
        "Parents stressed due to overworking or unemployment",
    ),
    (
        "stoke-on-trent",
        3,
        "Housing, Employment and Income",
        "Chronic unemployment that has severely affected child and parent's aspirations and engagement with education and employment",
    ),
    ("stoke-on-trent", 4, "Housing, Employment and Income", "Parents criminal activity"),
    (
        "stoke-on-trent",
        1,
        "Social Integration and Community Resources",
        "Good social network exists",
    ),
    ("stoke-on-trent", 2, "Social Integration and Community Resources", "Limited support network"),
    ("stoke-on-trent", 3, "Social Integration and Community Resources", "No supportive network"),
    ("stoke-on-trent", 4, "Social Integration and Community Resources", "Extreme social isolation"),
    ("newcastle", 1, "Learning and Education", "Planned progression beyond statutory school age"),
    ("newcastle", 2, "Learning and Education", "Occasional non attendance at school"),
    ("newcastle", 3, "Learning and Education", "Persistent absence"),
    ("newcastle", 4, "Learning and Education", "Children who are reported as missing"),
    ("newcastle", 1, "Health", "Fully immunised."),
    ("newcastle", 2, "Health", "Minor health problems which can be managed in a mainstream school"),
    ("newcastle", 3, "Health", "Chronic/recurring health problems"),
    ("newcastle", 4, "Health", "Fabricated or induced illness"),
    (
        "newcastle",
        1,
        "Social, Emotional, Behavioural and Identity",
        "Good quality early attachments",
    ),
    (
        "newcastle",
        2,
        "Social, Emotional, Behavioural and Identity",
        "Children at risk of gang activity",
    ),
    (
        "newcastle",
        3,
        "Social, Emotional, Behavioural and Identity",
        "Evidence of regular, frequent drug use",
    ),
    (
        "newcastle",
        4,
        "Social, Emotional, Behavioural and Identity",
        "Involved in, or at risk of, child sexual exploitation",
    ),
    ("newcastle", 1, "Family, Environment and Relationships", "networks exist"),
    (
        "newcastle",
        2,
        "Family, Environment and Relationships",
        "Families affected by low income or unemployment",
    ),
    (
        "newcastle",
        3,
        "Family, Environment and Relationships",
        "Signs of neglect through inadequate physical care or supervision of the child",
    ),
    (
        "newcastle",
        4,
        "Family, Environment and Relationships",
        "Children experiencing or likely to experience significant harm, who need to be looked after outside their own family",
    ),
    ("newcastle", 1, "Self care and independence", "Age appropriate living skills."),
    ("newcastle", 2, "Self care and independence", "Lack of age appropriate behaviour."),
    (
        "newcastle",
        3,
        "Self care and independence",
        "Lack of age appropriate behaviour and independent living skills, likely to impair development.",
    ),
    (
        "newcastle",
        4,
        "Self care and independence",
        "Severe lack of age appropriate behaviour and independent living skills likely to result in significant harm. E.g. bullying, isolation.",
    ),
    ("dudley", 1, "Education", "I have had no suspensions or exclusions."),
    (
        "dudley",
        2,
        "Education",
        "I have sometimes been suspended from educational setting or I am duel registered at an Alternative Provision or am subject to an Off-Site Direction.",
    ),
    (
        "dudley",
        3,
        "Education",
        "If I am EHE there are significant concerns about my education or welfare or there is an almost complete lack of information about this.",
    ),
    (
        "dudley",
        4,
        "Education",
        "If I am registered CME, there is a consistent lack of engagement from my parents or a School Attendance Order in place.",
    ),
    (
        "dudley",
        1,
        "Emotional & Behavioural Development",
        "I am able to demonstrate feelings of belonging and acceptance",
    ),
    (
        "dudley",
        2,
        "Emotional & Behavioural Development",
        "I am associating with peers involved in crime or anti-social behaviour",
    ),
    (
        "dudley",
        3,
        "Emotional & Behavioural Development",
        "I am being exposed to cultural practices that may be detrimental to my health and development",
    ),
    (
        "dudley",
        4,
        "Emotional & Behavioural Development",
        "I have been kicked out of my parents/carers or I have left home as I do not feel safe",
    ),
    (
        "dudley",
        1,
        "Health, Care & Protection",
        "There are no concerns about my mental health, or drugs & alcohol issues",
    ),
    ("dudley", 2, "Health, Care & Protection", "I am susceptible to minor health problems"),
    (
        "dudley",
        3,
        "Health, Care & Protection",
        "I am showing self-harming behaviours & need support for myself and my family",
    ),
    (
        "dudley",
        4,
        "Health, Care & Protection",
        "I am suffering significant harm from inappropriate moving & handling and ill-fitting essential equipment",
    ),
    ("dudley", 1, "Parents/Carers", "My parents/carers are able to manage my behaviours"),
    ("dudley", 2, "Parents/Carers", "My family are facing eviction/ homelessness"),
    ("dudley", 3, "Parents/Carers", "My family are being evicted"),
    (
        "dudley",
        4,
        "Parents/Carers",
        "My parents/carers mental health problems or substance misuse is having a significant impact on them being able to care for me",
    ),
    (
        "dudley",
        1,
        "Risks outside of my home",
        "I feel safe outside of my home and a part of the local community",
    ),
    (
        "dudley",
        2,
        "Risks outside of my home",
        "I am being encouraged to truant from school/college",
    ),
    (
        "dudley",
        3,
        "Risks outside of my home",
        "I am being pressured & encouraged to carry weapons & drugs",
    ),
    (
        "dudley",
        4,
        "Risks outside of my home",
        "I am a victim of a serious gun/knife crime which may result in a threat to my life or injury",
    ),
    (
        "hull",
        1,
        "Factors relating to the child or young person's health and development",
        "growing level of competencies in practical and emotional skills",
    ),
    (
        "hull",
        2,
        "Factors relating to the child or young person's health and development",
        "drug or alcohol use concerns",
    ),
    (
        "hull",
        3,
        "Factors relating to the child or young person's health and development",
        "experiencing bullying / bullying",
    ),
    (
        "hull",
        4,
        "Factors relating to the child or young person's health and development",
        "child who has abused another child",
    ),
    (
        "hull",
        1,
        "Factors relating to parents and carers",
        "encourage appropriate development through support and play",
    ),
    ("hull", 2, "Factors relating to parents and carers", "post-natal depression"),
    (
        "hull",
        3,
        "Factors relating to parents and carers",
        "previously subject to CP plan or CIN plan",
    ),
    (
        "hull",
        4,
        "Factors relating to parents and carers",
        "parental substance misuse problems at a level which place the child at risk of significant harm",
    ),
    (
        "hull",
        1,
        "Relating to Family and Environmental Factors",
        "appropriate accommodation (housing)",
    ),
    (
        "hull",
        2,
        "Relating to Family and Environmental Factors",
        "family struggling to accept child's self identity",
    ),
    (
        "hull",
        3,
        "Relating to Family and Environmental Factors",
        "some level of risk to or from siblings",
    ),
    (
        "hull",
        4,
        "Relating to Family and Environmental Factors",
        "families seeking asylum with no leave to remain or recourse to public funds",
    ),
]


@pytest.mark.parametrize("slug", LEVEL_NAMES)
def test_levels_have_the_documents_local_names(slug):
    authority = Authority.objects.get(slug=slug)
    assert [level.name for level in authority.levels.order_by("number")] == LEVEL_NAMES[slug]
    assert authority.edition == EDITIONS[slug]


@pytest.mark.parametrize("slug", COUNTS)
def test_indicators_per_domain_and_level_match_the_document(slug):
    rows = (
        Indicator.objects.filter(domain__authority__slug=slug)
        .values("domain__name", "domain__theme", "level__number")
        .annotate(n=Count("id"))
    )
    found = {}
    for row in rows:
        counts = found.setdefault((row["domain__name"], row["domain__theme"]), [0, 0, 0, 0])
        counts[row["level__number"] - 1] = row["n"]
    assert found == COUNTS[slug]


@pytest.mark.parametrize("slug", TOTALS)
def test_indicator_totals_per_level_through_the_api(client, slug):
    counts = [
        client.get("/api/v1/indicators", {"authority": slug, "level": n, "limit": 1}).json()[
            "count"
        ]
        for n in (1, 2, 3, 4)
    ]
    assert counts == TOTALS[slug]


@pytest.mark.parametrize(("slug", "level", "domain", "text"), EXACT_TEXTS)
def test_indicator_text_is_the_documents_own_in_its_level_and_domain(slug, level, domain, text):
    assert Indicator.objects.filter(
        domain__authority__slug=slug, level__number=level, domain__name=domain, text=text
    ).exists()


@pytest.mark.parametrize("slug", CONTACTS)
def test_every_contact_has_every_number_and_email_of_the_document(slug):
    contacts = {
        c.name: (c.phones, c.emails, c.emergency)
        for c in Contact.objects.filter(authority__slug=slug)
    }
    assert contacts == CONTACTS[slug]


def test_dudley_asterisks_are_strategy_discussion_marks_and_the_legend_is_not_an_indicator():
    dudley = Indicator.objects.filter(domain__authority__slug="dudley")
    assert dudley.filter(strategy_discussion=True).count() == 17
    assert dudley.filter(text="I am being trafficked", strategy_discussion=True).exists()
    assert not dudley.filter(text__contains="*").exists()
    assert not dudley.filter(text__icontains="strategy discussion will need").exists()


def test_stoke_family_and_environment_level_4_cells_are_placed_by_column_order():
    stoke = Indicator.objects.filter(domain__authority__slug="stoke-on-trent", level__number=4)
    assert stoke.get(text="Forced Marriage").domain.name == "Family History"
    assert (
        stoke.get(text__startswith="Destructive involvement from extended family").domain.name
        == "Wider Family"
    )
    assert stoke.get(text="Extreme social isolation").domain.name == (
        "Social Integration and Community Resources"
    )


def test_stoke_groups_basic_care_under_parenting_capacity():
    from guidance.models import Domain

    basic_care = Domain.objects.published().get(authority__slug="stoke-on-trent", name="Basic Care")
    assert basic_care.path == "Parenting Capacity / Basic Care"


def test_gloucestershire_early_help_pathway_is_complete_for_every_level():
    gloucestershire = Authority.objects.get(slug="gloucestershire")
    for level in gloucestershire.levels.prefetch_related("next_steps"):
        headings = [step.heading for step in level.next_steps.all()]
        assert headings == [
            "Which Plan should be used?",
            "What you will need to do to support the child/young person and their family",
            "Who can help you if you need it?",
            "What should happen if level of need decreases?",
            "What should happen if level of need increases?",
        ], level


@pytest.mark.parametrize(
    ("slug", "number", "heading", "snippet"),
    [
        ("gloucestershire", 1, "Which Plan should be used?", "My Profile (or similar)"),
        ("gloucestershire", 2, "Which Plan should be used?", "My Plan"),
        (
            "gloucestershire",
            2,
            "What you will need to do to support the child/young person and their family",
            "gain their consent to start a My Plan",
        ),
    ],
)
def test_next_steps_keep_the_documents_words(slug, number, heading, snippet):
    authority = Authority.objects.get(slug=slug)
    step = authority.levels.get(number=number).next_steps.get(heading=heading)
    assert snippet in step.text


@pytest.mark.parametrize("slug", LEVEL_NAMES)
def test_every_authority_has_an_emergency_route(slug):
    assert Contact.objects.filter(authority__slug=slug, emergency=True).exists()


def test_every_domain_with_indicators_has_a_theme(real_documents):
    indicators = Indicator.objects.filter(domain__authority__slug__in=real_documents)
    assert indicators.count() == sum(sum(totals) for totals in TOTALS.values())
    assert not indicators.filter(domain__theme="").exists()


def test_these_are_the_five_real_documents(real_documents):
    assert sorted(real_documents) == sorted(LEVEL_NAMES)


def test_the_real_documents_pass_check():
    out = StringIO()
    call_command("load_thresholds", "--check", stdout=out)
    assert out.getvalue().count(": valid (") == len(LEVEL_NAMES)


def test_the_real_documents_are_far_below_the_size_limit():
    largest = max(path.stat().st_size for path in real_document_paths())
    assert largest * 10 < MAX_DOCUMENT_BYTES

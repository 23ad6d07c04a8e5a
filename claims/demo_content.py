"""The demo newsroom's content: real claims, paraphrasing public reporting, for `load_demo`.

Plain data only; claims.demo turns it into rows. Each claim names its claimant by slug, its
sources by URL, and the state its review should be left in (`state`), so every page, state and
rating of the default scale has something real-looking to show.
"""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date

TOPICS = [
    ("Russia inquiry", "russia-inquiry"),
    ("Elections", "elections"),
    ("Health", "health"),
    ("Economy", "economy"),
    ("Media", "media"),
    ("Criminal justice", "criminal-justice"),
    ("Europe", "europe"),
]

CLAIMANTS: list[dict[str, Any]] = [
    {
        "slug": "jeff-sessions",
        "name": "Jeff Sessions",
        "kind": "person",
        "job_title": "United States Senator from Alabama, Attorney General nominee",
        "same_as": ["https://en.wikipedia.org/wiki/Jeff_Sessions"],
    },
    {
        "slug": "hope-hicks",
        "name": "Hope Hicks",
        "kind": "person",
        "job_title": "Spokeswoman for the Trump campaign",
        "same_as": ["https://en.wikipedia.org/wiki/Hope_Hicks"],
    },
    {
        "slug": "mike-pence",
        "name": "Mike Pence",
        "kind": "person",
        "job_title": "Vice President-elect of the United States",
        "same_as": ["https://en.wikipedia.org/wiki/Mike_Pence"],
    },
    {
        "slug": "sean-spicer",
        "name": "Sean Spicer",
        "kind": "person",
        "job_title": "White House Press Secretary",
        "same_as": ["https://en.wikipedia.org/wiki/Sean_Spicer"],
    },
    {
        "slug": "donald-trump",
        "name": "Donald Trump",
        "kind": "person",
        "job_title": "President of the United States",
        "same_as": ["https://en.wikipedia.org/wiki/Donald_Trump"],
    },
    {
        "slug": "barack-obama",
        "name": "Barack Obama",
        "kind": "person",
        "job_title": "President of the United States",
        "same_as": ["https://en.wikipedia.org/wiki/Barack_Obama"],
    },
    {
        "slug": "bernie-sanders",
        "name": "Bernie Sanders",
        "kind": "person",
        "job_title": "United States Senator from Vermont",
        "same_as": ["https://en.wikipedia.org/wiki/Bernie_Sanders"],
    },
    {
        "slug": "vote-leave",
        "name": "Vote Leave",
        "kind": "organization",
        "job_title": "",
        "same_as": ["https://en.wikipedia.org/wiki/Vote_Leave"],
    },
    {
        "slug": "social-media-users",
        "name": "Social media users",
        "kind": "organization",
        "job_title": "",
        "same_as": [],
    },
]

SOURCES: list[dict[str, Any]] = [
    {
        "url": "https://www.judiciary.senate.gov/meetings/nomination-of-the-honorable-jeff-sessions-to-be-attorney-general-of-the-united-states",
        "title": "Nomination of the Honorable Jeff Sessions to be Attorney General of the United States",
        "publisher": "United States Senate Committee on the Judiciary",
        "date_published": D(2017, 1, 10),
        "kind": "transcript",
    },
    {
        "url": "https://www.washingtonpost.com/world/national-security/sessions-spoke-twice-with-russian-ambassador-during-trumps-presidential-campaign-justice-officials-say/2017/03/01/77205eda-feac-11e6-99b4-9e613afeb09f_story.html",
        "title": "Sessions spoke twice with Russian ambassador during Trump's presidential campaign, Justice officials say",
        "publisher": "The Washington Post",
        "author": "Adam Entous, Ellen Nakashima and Greg Miller",
        "date_published": D(2017, 3, 1),
        "kind": "news_report",
    },
    {
        "url": "https://www.nytimes.com/2017/03/02/us/politics/jeff-sessions-russia-trump-investigation-democrats.html",
        "title": "Jeff Sessions Recuses Himself From Russia Inquiry",
        "publisher": "The New York Times",
        "date_published": D(2017, 3, 2),
        "kind": "news_report",
    },
    {
        "url": "https://www.theatlantic.com/politics/archive/2017/03/jeff-sessions-russian-ambassador/518382/",
        "title": "Jeff Sessions Met With Russia's Ambassador Twice in 2016",
        "publisher": "The Atlantic",
        "date_published": D(2017, 3, 2),
        "kind": "news_report",
    },
    {
        "url": "https://www.justice.gov/opa/pr/attorney-general-sessions-statement-recusal",
        "title": "Attorney General Sessions Statement on Recusal",
        "publisher": "United States Department of Justice",
        "date_published": D(2017, 3, 2),
        "kind": "statement",
    },
    {
        "url": "https://www.nytimes.com/2017/03/02/us/politics/kushner-flynn-kislyak-russia.html",
        "title": "Kushner and Flynn Met With Russian Envoy in December, White House Confirms",
        "publisher": "The New York Times",
        "date_published": D(2017, 3, 2),
        "kind": "news_report",
    },
    {
        "url": "https://apnews.com/article/2016-election-donald-trump-russia-campaign-foreign-contacts",
        "title": "Trump campaign denies any contact with foreign entities during the campaign",
        "publisher": "Associated Press",
        "date_published": D(2016, 11, 10),
        "kind": "news_report",
    },
    {
        "url": "https://www.cbsnews.com/news/face-the-nation-transcript-january-15-2017-pence-manchin-gingrich/",
        "title": "Face the Nation transcript, January 15, 2017: Pence, Manchin, Gingrich",
        "publisher": "CBS News",
        "date_published": D(2017, 1, 15),
        "kind": "transcript",
    },
    {
        "url": "https://www.washingtonpost.com/world/national-security/national-security-adviser-flynn-discussed-sanctions-with-russian-ambassador-despite-denials-officials-say/2017/02/09/f85b29d6-ee11-11e6-b4ff-ac2cf509efe5_story.html",
        "title": "National security adviser Flynn discussed sanctions with Russian ambassador, despite denials, officials say",
        "publisher": "The Washington Post",
        "author": "Greg Miller, Adam Entous and Ellen Nakashima",
        "date_published": D(2017, 2, 9),
        "kind": "news_report",
    },
    {
        "url": "https://www.justice.gov/file/1015126/download",
        "title": "United States v. Michael T. Flynn: Statement of the Offense",
        "publisher": "United States Department of Justice, Special Counsel's Office",
        "date_published": D(2017, 12, 1),
        "kind": "official_record",
    },
    {
        "url": "https://www.nielsen.com/news-center/2017/presidential-inauguration-of-donald-trump-draws-30-6-million-viewers/",
        "title": "Presidential Inauguration of Donald Trump Draws 30.6 Million Viewers",
        "publisher": "Nielsen",
        "date_published": D(2017, 1, 21),
        "kind": "dataset",
    },
    {
        "url": "https://obamawhitehouse.archives.gov/the-press-office/remarks-president-annual-conference-american-medical-association",
        "title": "Remarks by the President at the Annual Conference of the American Medical Association",
        "publisher": "The White House",
        "date_published": D(2009, 6, 15),
        "kind": "transcript",
    },
    {
        "url": "https://www.nbcnews.com/news/us-news/obama-admin-knew-millions-could-not-keep-their-health-insurance-flna8c11485131",
        "title": "Obama admin. knew millions could not keep their health insurance",
        "publisher": "NBC News",
        "author": "Lisa Myers and Hannah Rappleye",
        "date_published": D(2013, 10, 28),
        "kind": "news_report",
    },
    {
        "url": "https://www.nber.org/papers/w20625",
        "title": "Wealth Inequality in the United States since 1913: Evidence from Capitalized Income Tax Data",
        "publisher": "National Bureau of Economic Research",
        "author": "Emmanuel Saez and Gabriel Zucman",
        "date_published": D(2014, 10, 1),
        "kind": "dataset",
    },
    {
        "url": "https://uksa.statisticsauthority.gov.uk/news/uk-statistics-authority-statement-on-the-use-of-official-statistics-on-contributions-to-the-european-union",
        "title": "UK Statistics Authority statement on the use of official statistics on contributions to the European Union",
        "publisher": "UK Statistics Authority",
        "author": "Sir Andrew Dilnot",
        "date_published": D(2016, 5, 27),
        "kind": "statement",
    },
    {
        "url": "https://www.ons.gov.uk/economy/nationalaccounts/balanceofpayments/bulletins/unitedkingdombalanceofpaymentsthepinkbook/2016",
        "title": "United Kingdom balance of payments, The Pink Book: 2016",
        "publisher": "Office for National Statistics",
        "date_published": D(2016, 7, 29),
        "kind": "dataset",
    },
    {
        "url": "https://twitter.com/realDonaldTrump/status/837989835818287106",
        "title": "Donald Trump on Twitter, 4 March 2017",
        "publisher": "Twitter",
        "author": "Donald Trump",
        "date_published": D(2017, 3, 4),
        "kind": "social_post",
    },
    {
        "url": "https://www.c-span.org/video/?425087-1/fbi-director-confirms-investigation-trump-campaign-russia-links",
        "title": "FBI Director James Comey testifies before the House Intelligence Committee",
        "publisher": "C-SPAN",
        "date_published": D(2017, 3, 20),
        "kind": "transcript",
    },
    {
        "url": "https://obamawhitehouse.archives.gov/the-press-office/2015/07/14/remarks-president-naacp-conference",
        "title": "Remarks by the President at the NAACP Conference",
        "publisher": "The White House",
        "date_published": D(2015, 7, 14),
        "kind": "transcript",
    },
    {
        "url": "https://www.prisonstudies.org/research-publications?shs_term_node_tid_depth=27",
        "title": "World Prison Population List (tenth edition)",
        "publisher": "Institute for Criminal Policy Research",
        "author": "Roy Walmsley",
        "date_published": D(2013, 11, 21),
        "kind": "dataset",
    },
    {
        "url": "https://www.census.gov/library/publications/2013/demo/p60-245.html",
        "title": "Income, Poverty, and Health Insurance Coverage in the United States: 2012",
        "publisher": "United States Census Bureau",
        "date_published": D(2013, 9, 17),
        "kind": "dataset",
    },
    {
        "url": "https://www.bls.gov/opub/reports/womens-earnings/archive/highlights-of-womens-earnings-in-2012.pdf",
        "title": "Highlights of Women's Earnings in 2012",
        "publisher": "Bureau of Labor Statistics",
        "date_published": D(2013, 10, 1),
        "kind": "dataset",
    },
    {
        "url": "https://www.who.int/emergencies/diseases/novel-coronavirus-2019/advice-for-public/myth-busters",
        "title": "Coronavirus disease (COVID-19) advice for the public: Mythbusters",
        "publisher": "World Health Organization",
        "date_published": D(2020, 4, 1),
        "kind": "official_record",
    },
    {
        "url": "https://www.buzzfeednews.com/article/craigsilverman/viral-fake-election-news-outperformed-real-news-on-facebook",
        "title": "This Analysis Shows How Viral Fake Election News Stories Outperformed Real News On Facebook",
        "publisher": "BuzzFeed News",
        "author": "Craig Silverman",
        "date_published": D(2016, 11, 16),
        "kind": "news_report",
    },
]

WP_SESSIONS = SOURCES[1]["url"]
NYT_RECUSAL = SOURCES[2]["url"]
ATLANTIC = SOURCES[3]["url"]
DOJ_RECUSAL = SOURCES[4]["url"]
NYT_TRUMP_TOWER = SOURCES[5]["url"]
WHO_MYTHS = SOURCES[22]["url"]

# state: draft | in_review | approved | scheduled | published | withdrawn.
# Dates are UTC; `published` is when the review went (or, when scheduled, goes) public:
# a number of days from now when scheduled.
CLAIMS: list[dict[str, Any]] = [
    {
        "slug": "sessions-did-not-have-communications-with-the-russians",
        "claimant": "jeff-sessions",
        "text": (
            "I'm not aware of any of those activities. I have been called a surrogate at a time "
            "or two in that campaign and I did not have communications with the Russians, and "
            "I'm unable to comment on it."
        ),
        "short_text": "I did not have communications with the Russians.",
        "date_claimed": D(2017, 1, 10),
        "venue": "Senate Judiciary Committee confirmation hearing, Washington",
        "topics": ["russia-inquiry", "elections"],
        "appearances": [
            {
                "url": "https://www.c-span.org/video/?421296-1/attorney-general-nominee-jeff-sessions-testifies-confirmation-hearing",
                "archived_url": "https://web.archive.org/web/20170111000000/https://www.c-span.org/video/?421296-1/attorney-general-nominee-jeff-sessions-testifies-confirmation-hearing",
                "title": "C-SPAN video of the confirmation hearing",
                "date": D(2017, 1, 10),
                "first": True,
            },
            {
                "url": SOURCES[0]["url"],
                "title": "Senate Judiciary Committee hearing page",
                "date": D(2017, 1, 10),
            },
        ],
        "review": {
            "state": "published",
            "rating": "false",
            "headline": "Sessions did meet the Russian ambassador during the campaign, twice",
            "summary": (
                "Jeff Sessions told the Senate under oath that he 'did not have communications "
                "with the Russians'. He had met Russia's ambassador, Sergey Kislyak, twice in "
                "2016 while advising the Trump campaign: in July at a gathering with about 50 "
                "other ambassadors, and one-on-one in his Senate office in September."
            ),
            "body": (
                "At his confirmation hearing on 10 January 2017, Senator Al Franken asked Jeff "
                "Sessions what he would do if there was evidence that anyone affiliated with the "
                "Trump campaign had communicated with the Russian government. Sessions answered "
                "that he had been called a campaign surrogate and 'did not have communications "
                "with the Russians'.\n\n"
                "On 1 March 2017 The Washington Post reported, and the Justice Department "
                "confirmed, that Sessions had spoken with Ambassador Sergey Kislyak twice in "
                "2016: in July, on the sidelines of a Heritage Foundation event at the "
                "Republican National Convention attended by about 50 ambassadors, and in "
                "September, in a private meeting in his Senate office. The New York Times and "
                "The Atlantic reported the same meetings.\n\n"
                "On 2 March 2017 Sessions said his answer had been 'honest and correct as I "
                "understood it at the time', because he had understood the question to be about "
                "communications as a campaign surrogate, and he stepped aside from the federal "
                "inquiry into Russian interference in the election.\n\n"
                "Whatever he meant, the statement as made is not accurate: he had two "
                "communications with Russia's ambassador during the campaign. We rate it False."
            ),
            "published": datetime.datetime(2017, 3, 2, 18, 0, tzinfo=datetime.UTC),
            "corrections": [
                {
                    "kind": "update",
                    "note": (
                        "Added Sessions' statement of 2 March 2017 and his recusal from the "
                        "federal inquiry."
                    ),
                    "at": datetime.datetime(2017, 3, 3, 9, 30, tzinfo=datetime.UTC),
                }
            ],
            "evidence": [
                (
                    SOURCES[0]["url"],
                    "context",
                    "I have been called a surrogate at a time or two in that campaign and I did not "
                    "have communications with the Russians.",
                    "The exchange with Senator Franken, under oath.",
                ),
                (
                    WP_SESSIONS,
                    "refutes",
                    "Sessions spoke twice last year with Sergey Kislyak, Russia's ambassador to the "
                    "United States, Justice Department officials said.",
                    "July: a gathering with about 50 ambassadors; September: one-on-one.",
                ),
                (
                    NYT_RECUSAL,
                    "refutes",
                    "Mr. Sessions met with the Russian ambassador twice during the campaign.",
                    "",
                ),
                (
                    ATLANTIC,
                    "refutes",
                    "The attorney general met with Sergey Kislyak in July and September.",
                    "",
                ),
                (
                    DOJ_RECUSAL,
                    "context",
                    "My reply to the question of Senator Franken was honest and correct as I "
                    "understood it at the time.",
                    "Sessions' explanation, and his recusal from the inquiry.",
                ),
            ],
        },
    },
    {
        "slug": "sessions-answer-was-honest-and-correct",
        "claimant": "jeff-sessions",
        "text": (
            "My reply to the question of Senator Franken was honest and correct as I understood "
            "it at the time."
        ),
        "short_text": "My reply to Senator Franken was honest and correct.",
        "date_claimed": D(2017, 3, 2),
        "venue": "Press conference at the Department of Justice, Washington",
        "topics": ["russia-inquiry"],
        "appearances": [
            {
                "url": DOJ_RECUSAL,
                "title": "Justice Department statement",
                "date": D(2017, 3, 2),
                "first": True,
            }
        ],
        "review": {
            "state": "draft",
            "rating": "misleading",
            "headline": "Sessions' defence of his Senate answer leaves out the September meeting",
            "summary": (
                "Sessions says he understood the question as being about his role as a campaign "
                "surrogate. But he had met Ambassador Kislyak one-on-one in September 2016, and "
                "the White House confirmed other transition contacts with Kislyak."
            ),
            "body": (
                "Draft. To check: the full exchange with Senator Franken, Sessions' written "
                "answers to Senator Leahy, and the White House statement of 2 March 2017 on the "
                "December 2016 meeting of Jared Kushner and Michael Flynn with Kislyak at Trump "
                "Tower."
            ),
            "evidence": [
                (
                    DOJ_RECUSAL,
                    "context",
                    "My reply to the question of Senator Franken was honest and correct as I "
                    "understood it at the time.",
                    "",
                ),
                (
                    NYT_TRUMP_TOWER,
                    "context",
                    "Jared Kushner and Michael T. Flynn met Sergey I. Kislyak at Trump Tower in "
                    "December, the White House said.",
                    "White House statement of 2 March 2017.",
                ),
            ],
        },
    },
    {
        "slug": "no-communication-between-the-campaign-and-foreign-entities",
        "claimant": "hope-hicks",
        "text": (
            "There was no communication between the campaign and any foreign entity during the "
            "campaign."
        ),
        "short_text": "No communication between the campaign and any foreign entity.",
        "date_claimed": D(2016, 11, 10),
        "venue": "Statement to the Associated Press",
        "topics": ["russia-inquiry", "elections"],
        "appearances": [
            {
                "url": SOURCES[6]["url"],
                "title": "Associated Press report",
                "date": D(2016, 11, 10),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "false",
            "headline": "The Trump campaign did have contacts with Russia's ambassador",
            "summary": (
                "A campaign adviser, Jeff Sessions, met Russia's ambassador twice during the "
                "campaign. After the election, Jared Kushner and Michael Flynn also met him at "
                "Trump Tower, the White House confirmed."
            ),
            "body": (
                "Two days after the 2016 election, campaign spokeswoman Hope Hicks told the "
                "Associated Press there had been no communication between the campaign and any "
                "foreign entity.\n\n"
                "The Justice Department later confirmed that Senator Jeff Sessions, a senior "
                "adviser to the campaign, met Ambassador Sergey Kislyak in July and September "
                "2016. On 2 March 2017 the White House confirmed that Jared Kushner and Michael "
                "Flynn met Kislyak at Trump Tower in December 2016, during the transition.\n\n"
                "We rate the statement False."
            ),
            "published": datetime.datetime(2017, 3, 3, 15, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[6]["url"],
                    "context",
                    "There was no communication between the campaign and any foreign entity during "
                    "the campaign.",
                    "",
                ),
                (WP_SESSIONS, "refutes", "Sessions spoke twice last year with Sergey Kislyak.", ""),
                (
                    NYT_TRUMP_TOWER,
                    "context",
                    "The meeting at Trump Tower in December was confirmed by the White House.",
                    "After the campaign, during the transition.",
                ),
            ],
        },
    },
    {
        "slug": "flynn-calls-had-nothing-to-do-with-sanctions",
        "claimant": "mike-pence",
        "text": (
            "Those conversations that happened to occur around the time that the United States "
            "took action to expel diplomats had nothing whatsoever to do with those sanctions."
        ),
        "short_text": "Flynn's calls with Russia's ambassador had nothing to do with sanctions.",
        "date_claimed": D(2017, 1, 15),
        "venue": "CBS News, Face the Nation",
        "topics": ["russia-inquiry"],
        "appearances": [
            {
                "url": SOURCES[7]["url"],
                "title": "Face the Nation transcript",
                "date": D(2017, 1, 15),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "false",
            "headline": "Flynn did discuss sanctions with Kislyak, as he later admitted in court",
            "summary": (
                "Michael Flynn discussed the Obama administration's sanctions with Ambassador "
                "Kislyak in December 2016. He resigned in February 2017 and admitted it in a "
                "guilty plea in December 2017."
            ),
            "body": (
                "Vice President-elect Mike Pence said on CBS that Michael Flynn's conversations "
                "with Russia's ambassador had nothing to do with the sanctions announced on 29 "
                "December 2016.\n\n"
                "On 9 February 2017 The Washington Post reported that Flynn had discussed the "
                "sanctions. Flynn resigned four days later. In his plea agreement of 1 December "
                "2017 he admitted asking Kislyak to refrain from escalating in response to the "
                "sanctions. We rate the statement False."
            ),
            "published": datetime.datetime(2017, 2, 14, 12, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[8]["url"],
                    "refutes",
                    "Flynn privately discussed U.S. sanctions against Russia with that country's "
                    "ambassador during the month before President Trump took office.",
                    "",
                ),
                (
                    SOURCES[9]["url"],
                    "refutes",
                    "Flynn requested that Russia refrain from escalating the situation in response "
                    "to the sanctions.",
                    "Statement of the offense, 1 December 2017.",
                ),
            ],
        },
    },
    {
        "slug": "largest-audience-to-ever-witness-an-inauguration",
        "claimant": "sean-spicer",
        "text": (
            "This was the largest audience to ever witness an inauguration, period, both in "
            "person and around the globe."
        ),
        "short_text": "This was the largest audience to ever witness an inauguration, period.",
        "date_claimed": D(2017, 1, 21),
        "venue": "White House press briefing",
        "topics": ["media"],
        "appearances": [
            {
                "url": "https://www.c-span.org/video/?422524-1/white-house-press-secretary-sean-spicer-statement",
                "title": "C-SPAN video of the statement",
                "date": D(2017, 1, 21),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "false",
            "headline": "Trump's inauguration drew fewer viewers than Obama's or Reagan's",
            "summary": (
                "Nielsen counted 30.6 million television viewers, fewer than for Barack Obama "
                "in 2009 (37.8 million) or Ronald Reagan in 1981 (41.8 million). Photographs and "
                "transit figures show a smaller crowd on the Mall than in 2009."
            ),
            "body": (
                "Press Secretary Sean Spicer's claim covers the crowd in Washington and the "
                "audience worldwide. Nielsen's figures show 30.6 million US television viewers, "
                "below the 2009 and 1981 inaugurations. There is no measure of online audiences "
                "that supports the claim. We rate it False."
            ),
            "published": datetime.datetime(2017, 1, 22, 14, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[10]["url"],
                    "refutes",
                    "An estimated 30.6 million viewers watched coverage of the inauguration.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "if-you-like-your-health-care-plan-you-can-keep-it",
        "claimant": "barack-obama",
        "text": (
            "If you like your health care plan, you'll be able to keep your health care plan, "
            "period."
        ),
        "short_text": "If you like your health care plan, you'll be able to keep it.",
        "date_claimed": D(2009, 6, 15),
        "venue": "American Medical Association annual meeting, Chicago",
        "topics": ["health"],
        "appearances": [
            {
                "url": SOURCES[11]["url"],
                "title": "White House transcript",
                "date": D(2009, 6, 15),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "mostly-false",
            "headline": "Millions of people could not keep their health plans",
            "summary": (
                "Most Americans, covered through employers, kept their plans. But in 2013 "
                "millions with individual policies received cancellation notices because their "
                "plans did not meet the law's new standards."
            ),
            "body": (
                "President Obama repeated the promise many times while the Affordable Care Act "
                "was debated. Regulations grandfathered only plans that had not changed since "
                "March 2010; in late 2013 insurers cancelled millions of individual-market "
                "policies. We rate the promise Mostly false."
            ),
            "published": datetime.datetime(2013, 11, 1, 10, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[11]["url"],
                    "context",
                    "If you like your health care plan, you will be able to keep your health care "
                    "plan. Period.",
                    "",
                ),
                (
                    SOURCES[12]["url"],
                    "refutes",
                    "Millions of Americans are getting or are about to get cancellation letters for "
                    "their health insurance.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "top-tenth-of-one-percent-owns-as-much-as-bottom-90",
        "claimant": "bernie-sanders",
        "text": (
            "The top one-tenth of 1 percent today in America owns almost as much wealth as the "
            "bottom 90 percent."
        ),
        "short_text": "The top 0.1% owns almost as much wealth as the bottom 90%.",
        "date_claimed": D(2015, 10, 13),
        "venue": "Democratic presidential debate, Las Vegas",
        "topics": ["economy", "elections"],
        "appearances": [
            {
                "url": "https://www.c-span.org/video/?328567-1/democratic-presidential-candidates-debate",
                "title": "C-SPAN video of the debate",
                "date": D(2015, 10, 13),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "mostly-true",
            "headline": "Sanders cites a sound estimate of wealth inequality",
            "summary": (
                "Economists Emmanuel Saez and Gabriel Zucman estimated that in 2012 the top 0.1% "
                "of households held about 22% of wealth and the bottom 90% about 23%. Other "
                "methods give a smaller share to the top."
            ),
            "body": (
                "The figure comes from Saez and Zucman's study of capitalised income tax data. "
                "Estimates from the Federal Reserve's Survey of Consumer Finances put the top "
                "share lower, so the claim rests on one credible method among several. We rate "
                "it Mostly true."
            ),
            "published": datetime.datetime(2015, 10, 15, 9, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[13]["url"],
                    "supports",
                    "The top 0.1% wealth share was 22% in 2012, almost as large as the share of the "
                    "bottom 90% of families.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "we-send-the-eu-350-million-a-week",
        "claimant": "vote-leave",
        "text": "We send the EU £350 million a week, let's fund our NHS instead.",
        "short_text": "We send the EU £350 million a week.",
        "date_claimed": D(2016, 5, 11),
        "venue": "Vote Leave campaign bus",
        "topics": ["europe", "economy"],
        "appearances": [
            {
                "url": "https://www.voteleavetakecontrol.org/why_vote_leave.html",
                "archived_url": "https://web.archive.org/web/20160615000000/http://www.voteleavetakecontrol.org/why_vote_leave.html",
                "title": "Vote Leave campaign website",
                "date": D(2016, 5, 11),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "misleading",
            "headline": "The £350 million figure ignores the rebate and EU spending in the UK",
            "summary": (
                "£350 million a week is the UK's gross contribution before the rebate, which was "
                "never sent. The UK Statistics Authority called its use misleading."
            ),
            "body": (
                "The UK's gross contribution in 2014 was about £19 billion, or £350 million a "
                "week, but the rebate is deducted before any money is sent, leaving about £250 "
                "million. After EU spending in the UK the net figure was nearer £160 million. "
                "We rate the claim Misleading."
            ),
            "published": datetime.datetime(2016, 5, 28, 8, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[14]["url"],
                    "refutes",
                    "The figure is misleading and undermines trust in official statistics.",
                    "",
                ),
                (
                    SOURCES[15]["url"],
                    "context",
                    "Contributions to the EU institutions, before and after the UK abatement.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "obama-had-my-wires-tapped-in-trump-tower",
        "claimant": "donald-trump",
        "text": (
            'Terrible! Just found out that Obama had my "wires tapped" in Trump Tower just '
            "before the victory. Nothing found. This is McCarthyism!"
        ),
        "short_text": 'Obama had my "wires tapped" in Trump Tower just before the victory.',
        "date_claimed": D(2017, 3, 4),
        "venue": "Twitter",
        "topics": ["russia-inquiry"],
        "appearances": [
            {
                "url": SOURCES[16]["url"],
                "archived_url": "https://web.archive.org/web/20170304120000/https://twitter.com/realDonaldTrump/status/837989835818287106",
                "title": "Tweet by @realDonaldTrump",
                "date": D(2017, 3, 4),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "unproven",
            "headline": "No evidence has been produced that Obama ordered wiretaps at Trump Tower",
            "summary": (
                "The FBI director told Congress he had no information supporting the tweets, and "
                "the Justice Department later said it had no records of such wiretaps."
            ),
            "body": (
                "President Trump offered no evidence for the claim. On 20 March 2017 FBI "
                "Director James Comey told the House Intelligence Committee that he had no "
                "information that supported the tweets. We rate it Unproven."
            ),
            "published": datetime.datetime(2017, 3, 21, 16, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[17]["url"],
                    "refutes",
                    "I have no information that supports those tweets.",
                    "James Comey",
                ),
            ],
        },
    },
    {
        "slug": "five-percent-of-population-25-percent-of-prisoners",
        "claimant": "barack-obama",
        "text": (
            "The United States is home to 5 percent of the world's population, but 25 percent of "
            "the world's prisoners."
        ),
        "short_text": "The US has 5% of the world's population but 25% of its prisoners.",
        "date_claimed": D(2015, 7, 14),
        "venue": "NAACP national convention, Philadelphia",
        "topics": ["criminal-justice"],
        "appearances": [
            {
                "url": SOURCES[18]["url"],
                "title": "White House transcript",
                "date": D(2015, 7, 14),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "true",
            "headline": "The US holds about a quarter of the world's prisoners",
            "summary": (
                "The World Prison Population List counted about 2.2 million prisoners in the "
                "United States out of some 10.2 million worldwide; the US has under 5% of the "
                "world's people."
            ),
            "body": (
                "The figures hold up: the United States has about 4.4% of the world's population "
                "and between 22% and 25% of its prisoners, depending on the year and how "
                "detention is counted. We rate the claim True."
            ),
            "published": datetime.datetime(2015, 7, 16, 11, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[19]["url"],
                    "supports",
                    "More than 10.2 million people are held in penal institutions throughout the "
                    "world; the United States has the highest prison population, 2.24 million.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "women-make-77-cents-for-every-dollar",
        "claimant": "barack-obama",
        "text": (
            "Today, women make up about half our workforce. But they still make 77 cents for "
            "every dollar a man earns."
        ),
        "short_text": "Women make 77 cents for every dollar a man earns.",
        "date_claimed": D(2014, 1, 28),
        "venue": "State of the Union address",
        "topics": ["economy"],
        "appearances": [
            {
                "url": "https://obamawhitehouse.archives.gov/the-press-office/2014/01/28/president-barack-obamas-state-union-address",
                "title": "White House transcript",
                "date": D(2014, 1, 28),
                "first": True,
            }
        ],
        "review": {
            "state": "published",
            "rating": "half-true",
            "headline": "The 77-cent gap is real, but it does not compare equal work",
            "summary": (
                "Census data show women working full time earned 77% of men's median annual "
                "earnings. The figure does not compare men and women in the same jobs, and "
                "weekly earnings give a smaller gap."
            ),
            "body": (
                "The number is accurate for what it measures: median annual earnings of full-"
                "time, year-round workers. It is often heard as 'equal pay for equal work', "
                "which it does not measure. We rate the claim Half true."
            ),
            "published": datetime.datetime(2014, 1, 30, 10, 0, tzinfo=datetime.UTC),
            "evidence": [
                (
                    SOURCES[20]["url"],
                    "supports",
                    "The female-to-male earnings ratio for full-time, year-round workers was 0.77.",
                    "",
                ),
                (
                    SOURCES[21]["url"],
                    "context",
                    "Women who were full-time wage and salary workers had median weekly earnings "
                    "that were 81 percent of those of male full-time wage and salary workers.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "5g-networks-spread-the-coronavirus",
        "claimant": "social-media-users",
        "text": "5G mobile networks spread the coronavirus.",
        "short_text": "",
        "date_claimed": D(2020, 4, 3),
        "venue": "Facebook and Twitter posts",
        "topics": ["health"],
        "appearances": [
            {
                "url": "https://www.facebook.com/groups/stop5guk/posts/demo",
                "title": "Facebook group post",
                "date": D(2020, 4, 3),
                "first": True,
            }
        ],
        "review": {
            "state": "in_review",
            "rating": "false",
            "headline": "Viruses cannot travel on radio waves or mobile networks",
            "summary": (
                "COVID-19 spreads through respiratory droplets and has spread in many countries "
                "that have no 5G network, the World Health Organization says."
            ),
            "body": "Awaiting the editor's review.",
            "evidence": [
                (
                    WHO_MYTHS,
                    "refutes",
                    "Viruses cannot travel on radio waves/mobile networks. COVID-19 is spreading in "
                    "many countries that do not have 5G mobile networks.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "hot-water-every-15-minutes-kills-the-coronavirus",
        "claimant": "social-media-users",
        "text": "Drinking hot water every 15 minutes kills the coronavirus.",
        "short_text": "",
        "date_claimed": D(2020, 3, 10),
        "venue": "WhatsApp messages",
        "topics": ["health"],
        "appearances": [
            {
                "url": "https://twitter.com/search?q=hot%20water%20coronavirus",
                "title": "Posts on Twitter",
                "date": D(2020, 3, 10),
                "first": True,
            }
        ],
        "review": {
            "state": "approved",
            "rating": "false",
            "headline": "Hot water does not kill the coronavirus in the body",
            "summary": (
                "Drinking hot water does not prevent or cure COVID-19, the World Health "
                "Organization says."
            ),
            "body": "Approved by the editor; waiting for the publisher.",
            "evidence": [
                (
                    WHO_MYTHS,
                    "refutes",
                    "There is no evidence that drinking hot water protects you from COVID-19.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "pope-francis-endorsed-donald-trump",
        "claimant": "social-media-users",
        "text": "Pope Francis shocks world, endorses Donald Trump for president.",
        "short_text": "Pope Francis endorsed Donald Trump for president.",
        "date_claimed": D(2016, 7, 10),
        "venue": "WTOE 5 News website, shared on Facebook",
        "topics": ["elections", "media"],
        "appearances": [
            {
                "url": "https://www.facebook.com/sharer/demo-wtoe5news-pope-endorses-trump",
                "title": "Facebook shares of a WTOE 5 News story",
                "date": D(2016, 7, 10),
                "first": True,
            }
        ],
        "review": {
            "state": "scheduled",
            "rating": "false",
            "headline": "Pope Francis did not endorse Donald Trump",
            "summary": (
                "The story came from a fake news website. The Vatican has never endorsed a "
                "candidate for the US presidency."
            ),
            "body": (
                "The article first appeared on WTOE 5 News, a site that described itself as "
                "fantasy news. It was among the most shared election stories on Facebook in "
                "2016. We rate it False."
            ),
            "published_in_days": 3,
            "evidence": [
                (
                    SOURCES[23]["url"],
                    "refutes",
                    "The top-performing fake election news story on Facebook was 'Pope Francis "
                    "Shocks World, Endorses Donald Trump for President'.",
                    "",
                ),
            ],
        },
    },
    {
        "slug": "photo-shows-sessions-with-kislyak-at-the-convention",
        "claimant": "social-media-users",
        "text": "Photo shows Jeff Sessions meeting Sergey Kislyak at the Republican convention.",
        "short_text": "Photo shows Sessions meeting Kislyak at the Republican convention.",
        "date_claimed": D(2017, 3, 3),
        "venue": "Twitter",
        "topics": ["russia-inquiry"],
        "appearances": [
            {
                "url": "https://twitter.com/search?q=sessions%20kislyak%20photo",
                "title": "Posts on Twitter",
                "date": D(2017, 3, 3),
                "first": True,
            }
        ],
        "review": {
            "state": "withdrawn",
            "rating": "unproven",
            "headline": "We could not confirm where the Sessions photo was taken",
            "summary": "We could not establish where or when the photo was taken.",
            "body": "Our first check relied on a copy of the photo that was not the one shared.",
            "published": datetime.datetime(2017, 3, 4, 10, 0, tzinfo=datetime.UTC),
            "withdrawn": datetime.datetime(2017, 3, 5, 9, 0, tzinfo=datetime.UTC),
            "withdrawal_note": (
                "We withdrew this fact check because it examined a different photo from the one "
                "being shared. We are checking the claim again."
            ),
            "evidence": [
                (
                    WP_SESSIONS,
                    "context",
                    "The July encounter took place at a Heritage Foundation event.",
                    "",
                ),
            ],
        },
    },
]

; xcheck policy profile: anhui-city (安徽省某市总工会; the seed does not name the city)
;
; The city union's 2019 action plan. Seed:
;   001 《全市城市困难职工解困脱困攻坚年实施方案》(2019)
; 001 defines exit (脱困) precisely and lists the data checks before
; archiving, but sets no asset criteria and no audit tolerances: where it is
; silent the value is the rules.md default and the comment says so.
;
; Copy this file and edit it to make your own profile. A parameter left out
; takes the default its rule family declares: the lines below that are
; commented out and marked "(the default)" show those values with their
; policy source; give a line only where your union differs. `xcheck rules
; -p NAME` lists every value and marks the defaults. An unknown key is an
; error. Lists are comma-separated; money is in yuan; rates take a % sign.
; The date lists of [exit] may repeat their key: each line adds to the list,
; and a profile giving one line of a list replaces that list's default.

[audit]
; 001 is silent on an audit window (it plans a 2019 攻坚年 with two visit
; rounds); rules.md default: 12 months ending at as_of.
; period_months = 12   (the default)

[income]
; 001 archives those "符合困难职工建档标准的" but states no income months;
; rules.md default.
; enroll_months = 3   (the default)
; 001 names no factor: 1.0 = the local 低保 standard (rules.md default).
; enroll_factor = 1.0   (the default)
; 001: 脱困 = "家庭人均收入连续６个月超过当地低保标准".
; exit_months = 6   (the default)
; 001: only "确认困难职工家庭生活确实脱困后，方可列入脱困档案", i.e. after
; the same 6 months above 低保.
; wrong_exit_months = 6   (the default)
; 001 asks for help to "因各种原因返贫致困职工" but gives no months;
; rules.md default.
; relapse_months = 3   (the default)

[property]
; 001: "对申请救助家庭户籍、社保、工商、房产、车辆等信息进行比对核查" -
; names the check, not the criterion; rules.md default.
; residential_min = 2   (the default)
; 001 (房产 check) names no usages; rules.md default.
; commercial_usages = commercial, industrial   (the default)

[vehicle]
; 001 (车辆 check, same sentence) names no kinds; rules.md default.
; kinds = car, truck   (the default)
; 001 sets no price floor; rules.md default.
; min_price = 0   (the default)

[business]
; 001 (工商 check, same sentence) names no roles; rules.md default.
; roles = legal_rep, shareholder   (the default)
; 001 sets no capital floor; rules.md default.
; min_capital = 0   (the default)

[contact]
; 001 (三、(四)): "采取定期与不定期相结合的方式走访慰问困难职工家庭，每月
; 电话回访一次，每季度入户走访一次".
; 001: 每季度入户走访 (quarters: January, April, July, October).
visit_period_months = 3
; 001: 每季度入户走访一次.
; visits_per_period = 1   (the default)
; 001: 每月电话回访.
call_period_months = 1
; 001: 每月电话回访一次.
calls_per_period = 1
; rules.md (CT-VISITS): only complete periods inside the last 12 months
; before as_of count; 12 months always hold at least three complete
; quarters and eleven complete months.
; window_months = 12   (the default)

[exit]
; 001's exit passes "评估、核查并公示、抽查等程序" but sets no length of
; publicity; rules.md default, 003's "公示时间不少于5个工作日".
; publicity_workdays = 5   (the default)
; 001 asks to "加强对脱困困难职工的关心关爱，及时送温暖" after exit, without
; months; rules.md default, 003's "继续关注其家庭生活动态6个月以上,做好回访
; 记录".
; followup_after_months = 6   (the default)
; No seed dates the follow-up; rules.md default: a follow-up dated at least
; 5 months after the exit shows the household was followed to near the end
; of the 6 months.
; followup_min_months = 5   (the default)
; Public holidays (放假) and adjusted working days (调休上班) of the
; People's Republic of China, from the State Council General Office's yearly
; notices 国务院办公厅关于<year>年部分节假日安排的通知:
;   2024: 国办发明电〔2023〕7号 (2023年10月25日; 国务院公报2023年第31号)
;   2025: 国办发明电〔2024〕12号 (2024年11月12日)
;   2026: notice of 2025年11月4日 (full text released by 新华社 that day;
;         its document number was not verified, so it is not given here)
; Only these three years are listed: a day of another year counts as a
; working day when it is Monday to Friday. When the next notice is
; published, add one holidays line and one workdays line for its year: the
; key may repeat, each line adding to the list. Regional holidays (e.g. of
; ethnic autonomous areas) are not included; add them if your union keeps
; them.
;
; The days off as each notice lists them. A holiday "与周末连休" is listed
; alone (2024-01-01, 2024-06-10): the weekend around it is off anyway. The
; 2024 notice only encourages a day off on 除夕 (2024-02-09): not listed.
; holidays = 2024-01-01, 2024-02-10..2024-02-17, 2024-04-04..2024-04-06, 2024-05-01..2024-05-05, 2024-06-10, 2024-09-15..2024-09-17, 2024-10-01..2024-10-07
; holidays = 2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01..2025-05-05, 2025-05-31..2025-06-02, 2025-10-01..2025-10-08
; holidays = 2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06, 2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07
; The weekend days the same notices make working days ("上班"); only
; Saturdays and Sundays are accepted here.
; workdays = 2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, 2024-09-29, 2024-10-12
; workdays = 2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11   (the default)
; workdays = 2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10

[candidate]
; 001 aims at "建档全覆盖不遗漏" but sets no months;
; rules.md default (CAND-ELIGIBLE), the same 3 months as enroll_months.
; income_months = 3   (the default)
; 001 names no factor;
; 1.0 = the local 低保 standard itself (rules.md default, as enroll_factor).
; income_factor = 1.0   (the default)

[thresholds]
; 001 aims at "建档全覆盖不遗漏" and publishes no audit tolerance; nor do
; the seeds give the 全国总工会 standard. 1% placeholders as in
; default.profile (above all of 004's Yunnan 2020 figures).
;
; 001 silent; placeholder.
; mis_enrollment_max = 1%   (the default)
; 001 silent; placeholder.
; missed_exit_max = 1%   (the default)
; 001 silent; placeholder.
; wrong_exit_max = 1%   (the default)
; 001: "建档全覆盖不遗漏" is an aim, not a tolerance; placeholder.
; missed_enrollment_max = 1%   (the default)
; 001: "将每个困难职工家庭与责任单位、联系人之间一一对应安排，确保建档困难
; 职工实现结对帮扶全覆盖".
; pairing_coverage_min = 100%   (the default)
; 001: "每月电话回访一次，每季度入户走访一次"; a duty for every household,
; no tolerance stated: 100%.
; visit_compliance_min = 100%   (the default)

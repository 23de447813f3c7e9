/**
 * 口径: what each metric counts, in the words a finance leader reads on hover (review page) and
 * in exports. Browser-safe data; a test checks that every registered metric has its entry, so a
 * new metric cannot reach a screen without a definition.
 */
export const metricDefinitions: Record<string, string> = {
  'payments.total': '发放状态为“成功”的支付明细金额之和（元），按支付时间计入年度和月份。',
  'payments.count': '发放状态为“成功”的支付明细笔数（人次）：同一人每领取一次计一次。',
  'payments.persons': '至少收到一笔“成功”发放的不同身份证号人数（人），同一人领取多个项目只计一人。',
  'payments.prereviewHits': '前置审查（124 项审查规则）在发放前拦截、核实更正后再发放的支付明细笔数（条），一条明细无论触发几项规则只计一次。',
  'payments.todayAmount': '今日（北京时间）“成功”发放的金额之和（元）。',
  'payments.todayCount': '今日（北京时间）“成功”发放的笔数。',
  'payments.byHour': '今日（北京时间）各整点小时内“成功”发放的金额与笔数。',
  'payments.successRate': '成功笔数 ÷（全部笔数 − 在途笔数）× 100%；在途尚未结算，不计成败。',
  'payments.failedOpen': '发放失败且尚未成功补发的支付明细笔数（当前）。',
  'payments.byStatus': '支付明细按发放状态（成功 / 失败 / 退回 / 在途）的笔数与金额。',
  'payments.byChildRegion': '下一级各地区“成功”发放金额（元），按受益人户籍所在地归属。',
  'payments.topVillages': '“成功”发放金额最多的村（社区）。',
  'payments.byMonth': '各支付月份“成功”发放的金额与人次；无发放的月份为 0。',
  'payments.byYear': '各支付年度“成功”发放的金额、人次与不同人数。',
  'payments.byProject': '各补贴项目“成功”发放的金额与人次，按金额排名。',
  'payments.byDept': '各主管部门所管项目“成功”发放的金额与人次。',
  'payments.byBank': '各代发银行“成功”发放的金额与人次。',
  'payments.byAgeBand': '“成功”发放按受益人年龄段（10 岁一档）与性别的分布。',
  'budget.executionRate': '预算执行率 = 本预算年度支付到卡金额 ÷ 已下达指标金额 × 100%，对照序时进度（年度已过天数 ÷ 全年天数）。',
  'budget.executionByRegion': '各区县本预算年度支付到卡金额 ÷ 已下达指标金额 × 100%。',
  'budget.executionByDept': '各主管部门本预算年度支付到卡金额 ÷ 已下达指标金额 × 100%。',
  'budget.executionByProject': '本预算年度各项目支付到卡金额与已下达指标金额（元），按支付金额排名。',
  'budget.chain': '本预算年度资金链条各环节金额：指标分配 → 指标下达 → 用款计划 → 支付凭证 → 支付明细（成功到卡）；后一环节大于前一环节即为链条异常。',
  'budget.idleFunds': '已拨付至代发账户但尚未成功发放到卡的资金（沉淀资金，元）。',
  'flags.open': '未处置预警 = 尚未入台账，或台账状态为待核实 / 整改中的预警条数（不含已办结的政策找人线索）。',
  'flags.critical': '严重程度为“重大”的未处置预警条数。',
  'flags.byRegion': '下一级各地区的未处置预警条数；区县本级（无乡镇）的预警计入区县。',
  'flags.byRule': '各监管规则的未处置与累计预警条数，按严重程度再按未处置条数排序。',
  'flags.byClass': '按问题类别的未处置与累计预警条数。',
  'flags.bySeverity': '按严重程度（重大 / 较大 / 一般）的未处置预警条数。',
  'flags.ticker': '最新产生的预警（人员信息已脱敏）。',
  'ledger.closureRate': '整改销号率 = 台账中已销号（含核实无问题）条目 ÷ 入台账条目 × 100%；分母是台账条目，不是全部预警。',
  'ledger.byStatus': '问题台账各状态的条目数；超过整改期限未销号的单列为“督办”。',
  'ledger.overdue': '超过整改期限仍未销号的台账条目（当前）。',
  'outreach.funnel': '政策找人线索从发现到核实、纳入保障的各环节人数。',
  'outreach.byKind': '各类政策找人线索的人数。',
  'outreach.enrolled': '经政策找人核实后纳入保障的人数（累计）。',
  'outreach.byRegion': '各地区政策找人线索人数。',
  'flags.criticalAmount': '严重程度为“重大”且未处置的预警所涉支付金额之和（元）。',
  'flags.topVillages': '未处置预警所涉金额最多的村（社区）；无村级归属的预警不计入。',
  'ledger.timeToClose': '近 12 个月每月销号（含核实无问题）的台账条目，从建账到销号的平均天数。',
  'ledger.overdueByDept': '按责任部门：超过整改期限仍未销号的台账条目数，与在某一审批环节等待超过时限的申报件数（申报按其项目的主管部门计）；两者合计多的在前，相同时逾期最久的在前。',
  'approvals.overdue': '申报审批在某一环节停留超过时限的件数（按今日北京时间判断）。',
}

export function definitionOf(metric: string): string | undefined {
  return metricDefinitions[metric]
}

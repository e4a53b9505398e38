/**
 * The console's words, as data: every text a page shows exists in Chinese (the default) and
 * English (`?lang=en`). The pipeline's vocabulary (stages, statuses, decisions, tracks, quota
 * levels) is in platform/words.ts and Beijing time in platform/time.ts; everything else the
 * console says (headings, buttons, audit actions and roles) is here.
 */
import * as z from 'zod';
import type { Bilingual } from '../../schemas/common.ts';
import type { ActorRole, AuditEvent } from '../../schemas/records.ts';

export const LangSchema = z.enum(['zh', 'en']);
export type Lang = z.infer<typeof LangSchema>;

/** `?lang=en` switches to English; anything else (or nothing) is Chinese. */
export const langOf = (query: Record<string, string>): Lang => (query.lang === 'en' ? 'en' : 'zh');

export const WORDS = {
  console: { zh: '中小企业特色产业集群 · 运维控制台', en: 'SME industrial clusters · operations console' },
  campaigns: { zh: '申报活动', en: 'Campaigns' },
  pickCampaign: { zh: '选择申报活动', en: 'Choose a campaign' },
  noCampaigns: { zh: '暂无申报活动', en: 'No campaigns yet' },
  open: { zh: '进行中', en: 'open' },
  closed: { zh: '已结束或未开始', en: 'not open' },
  year: { zh: '年度', en: 'Year' },
  board: { zh: '申报总览', en: 'Campaign board' },
  generatedAt: { zh: '数据时间', en: 'As of' },
  refreshNote: { zh: '本页每60秒自动刷新', en: 'This page refreshes itself every 60 seconds' },
  total: { zh: '合计', en: 'Total' },
  applications: { zh: '申报', en: 'Applications' },
  late: { zh: '逾期事项', en: 'What is late' },
  noneLate: { zh: '没有逾期事项', en: 'Nothing is late' },
  failed: { zh: '执行失败', en: 'Failed executions' },
  noneFailed: { zh: '没有失败的执行', en: 'No failed executions' },
  quotas: { zh: '推荐名额', en: 'Quota' },
  noQuotas: { zh: '暂无名额限制', en: 'No quota applies' },
  left: { zh: '剩余', en: 'left' },
  full: { zh: '名额已满', en: 'full' },
  holders: { zh: '占用名额的申报', en: 'Who holds the slots' },
  noHolders: { zh: '尚无占用', en: 'No slot taken' },
  provinces: { zh: '各省（区、市）申报情况', en: 'Provinces by status' },
  place: { zh: '地区', en: 'Place' },
  cluster: { zh: '集群', en: 'Cluster' },
  status: { zh: '状态', en: 'Status' },
  stage: { zh: '环节', en: 'Stage' },
  due: { zh: '截止时间', en: 'Due' },
  daysLate: { zh: '逾期天数', en: 'Days late' },
  timeline: { zh: '办理记录', en: 'Timeline' },
  stages: { zh: '各环节待办', en: 'Waiting at each stage' },
  pending: { zh: '待办', en: 'Pending' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  calendar: { zh: '截止日历', en: 'Deadline calendar' },
  date: { zh: '日期', en: 'Date' },
  milestones: { zh: '日程', en: 'Milestones' },
  noCalendar: { zh: '暂无截止事项', en: 'No deadlines ahead' },
  pastDay: { zh: '已过期', en: 'past' },
  execution: { zh: '执行', en: 'Execution' },
  error: { zh: '错误', en: 'Error' },
  cause: { zh: '原因', en: 'Cause' },
  stoppedAt: { zh: '停止时间', en: 'Stopped' },
  redriveCount: { zh: '已重试次数', en: 'Redriven' },
  redrive: { zh: '从失败处继续执行', en: 'Redrive' },
  redriving: { zh: '正在提交…', en: 'Sending…' },
  redriven: { zh: '已重新驱动，正在刷新', en: 'Redriven; reloading' },
  notRedrivable: { zh: '不可重新驱动', en: 'Cannot be redriven' },
  requestFailed: { zh: '请求失败', en: 'The request failed' },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  below: { zh: '下级地区', en: 'One level down' },
  noneBelow: { zh: '无下级地区的申报', en: 'No applications below' },
  noApplications: { zh: '暂无申报', en: 'No applications' },
  updated: { zh: '更新时间', en: 'Updated' },
  inbox: { zh: '审核待办', en: 'Reviewer inbox' },
  inboxOf: { zh: '审核单位', en: 'Reviewing authority' },
  noReviews: { zh: '没有待审核的申报', en: 'Nothing waits for review' },
  county: { zh: '县（市、区）', en: 'County' },
  round: { zh: '轮次', en: 'Round' },
  resend: { zh: '重新发送审核链接', en: 'Email me the link again' },
  resendNote: {
    zh: '审核链接含有密钥，只通过邮件发送；如找不到邮件，可重新发送。',
    en: 'Review links carry a secret and only go out by email; ask for it again if the email is lost.',
  },
  sending: { zh: '正在发送…', en: 'Sending…' },
  sentTo: { zh: '审核链接已重新发送给 {sentTo} 个收件人', en: 'The link was sent again to {sentTo} recipient(s)' },
  ranking: { zh: '专家评审排名（择优遴选）', en: 'Expert review ranking' },
  rank: { zh: '名次', en: 'Rank' },
  noRanking: { zh: '尚无专家评分', en: 'No expert scores yet' },
  score: { zh: '加权得分', en: 'Weighted score' },
  decision: { zh: '决定', en: 'Decision' },
  decidedAt: { zh: '决定时间', en: 'Decided' },
  history: { zh: '办理记录', en: 'Timeline' },
  noEvents: { zh: '暂无记录', en: 'No events yet' },
  timeBeijing: { zh: '时间（北京时间）', en: 'Time (Beijing, UTC+8)' },
  action: { zh: '事项', en: 'Action' },
  actor: { zh: '办理人', en: 'Actor' },
  role: { zh: '角色', en: 'Role' },
  fromTo: { zh: '状态变化', en: 'From → to' },
  reasonDetail: { zh: '原因与详情', en: 'Reason and detail' },
  requestId: { zh: '请求编号', en: 'Request id' },
  detail: { zh: '详情', en: 'Detail' },
  track: { zh: '申报类别', en: 'Track' },
  backToBoard: { zh: '返回总览', en: 'Back to the board' },
  badRequest: { zh: '请求参数有误', en: 'Bad request' },
  notFound: { zh: '页面不存在', en: 'Page not found' },
  notFoundText: { zh: '没有这个页面。', en: 'There is no such page.' },
  refused: { zh: '无法显示', en: 'Cannot show this' },
  forbidden: { zh: '无权查看', en: 'Not allowed' },
  toInbox: { zh: '前往审核待办', en: 'Go to the reviewer inbox' },
  national: { zh: '全国', en: 'national' },
  signedInAs: { zh: '当前登录：', en: 'Signed in:' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  signIn: { zh: '登录', en: 'Sign in' },
  signInIntro: {
    zh: '请粘贴您的 ID 令牌（ID token）登录控制台。令牌标明您的角色和辖区，登录后仅能查看本辖区的数据。',
    en: 'Paste your ID token to sign in. The token names your role and jurisdiction; you see only what lies within it.',
  },
  signInLocal: { zh: '本地运行时，可用以下命令生成令牌：', en: 'Running locally, make one with:' },
  signInAws: {
    zh: '在 AWS 上：使用 Cognito 用户池签发的 ID 令牌。',
    en: 'In AWS: the ID token from the Cognito user pool.',
  },
  tokenLabel: { zh: 'ID 令牌', en: 'ID token' },
  tokenMissing: { zh: '请粘贴 ID 令牌。', en: 'Paste an ID token.' },
  signInFailed: {
    zh: '登录失败：令牌无效、已过期或未标明角色和辖区。',
    en: 'Sign-in failed: the token is invalid, expired, or names no role and jurisdiction.',
  },
  providerSignIn: { zh: '用统一身份认证登录', en: 'Sign in with the identity provider' },
  providerSignInNote: {
    zh: '将转到身份认证服务的登录页面，登录后返回本控制台。也可以在下方粘贴 ID 令牌登录。',
    en: "You go to the identity provider's sign-in page and come back here. Or paste an ID token below.",
  },
  providerNotOffered: {
    zh: '此处未开通统一身份认证登录，请粘贴 ID 令牌登录。',
    en: 'Signing in through the identity provider is not offered here; paste an ID token instead.',
  },
  providerNoFlow: {
    zh: '登录未完成：本浏览器没有进行中的登录，或登录已超过10分钟。请重新登录。',
    en: 'Sign-in did not finish: this browser started none, or it took longer than 10 minutes. Start again.',
  },
  providerMalformed: {
    zh: '登录未完成：身份认证服务返回的参数有误。请重新登录。',
    en: "Sign-in did not finish: the identity provider's answer was malformed. Start again.",
  },
  providerStateMismatch: {
    zh: '登录未完成：返回的登录与本浏览器发起的登录不一致。请重新登录。',
    en: 'Sign-in did not finish: the answer does not belong to the sign-in this browser started. Start again.',
  },
  providerNoCode: {
    zh: '登录未完成：身份认证服务没有返回授权码。请重新登录。',
    en: 'Sign-in did not finish: the identity provider sent no authorization code. Start again.',
  },
  providerRefused: { zh: '身份认证服务未允许登录。', en: 'The identity provider did not sign you in.' },
  providerUnavailable: {
    zh: '登录未完成：身份认证服务未按预期应答，请稍后再试。',
    en: 'Sign-in did not finish: the identity provider did not answer as expected. Try again later.',
  },
  signedIn: { zh: '已登录', en: 'Signed in' },
  movingOn: { zh: '正在进入控制台…', en: 'Going on to the console…' },
  continueTo: { zh: '如未自动跳转，请点此继续', en: 'Continue (if nothing happens)' },
  internal: { zh: '出错了，请稍后再试', en: 'Something went wrong; try again later' },
  field: { zh: '参数', en: 'Field' },
  problem: { zh: '问题', en: 'Problem' },
} as const satisfies Record<string, Bilingual>;

export type Word = keyof typeof WORDS;

/** A translator for one page: `say('late')`, or `say(bilingual)` for text that comes with both. */
export function translator(lang: Lang) {
  return (word: Word | Bilingual): string => (typeof word === 'string' ? WORDS[word][lang] : word[lang]);
}
export type Say = ReturnType<typeof translator>;

export const ACTION_TITLES: Readonly<Record<AuditEvent['action'], Bilingual>> = {
  APPLICATION_CREATED: { zh: '创建申报', en: 'Application created' },
  FORM_UPDATED: { zh: '修改申报表', en: 'Form updated' },
  EVIDENCE_REQUESTED: { zh: '申请上传佐证材料', en: 'Evidence upload requested' },
  EVIDENCE_VALIDATED: { zh: '佐证材料校验通过', en: 'Evidence validated' },
  EVIDENCE_REJECTED: { zh: '佐证材料未通过校验', en: 'Evidence refused' },
  SUBMITTED: { zh: '提交申报', en: 'Submitted' },
  STAGE_ENTERED: { zh: '进入审核环节', en: 'Stage entered' },
  RETURNED: { zh: '退回修改', en: 'Returned for revision' },
  RESUBMISSION_AWAITED: { zh: '等待重新提交', en: 'Awaiting resubmission' },
  RESUBMITTED: { zh: '重新提交', en: 'Resubmitted' },
  REJECTED: { zh: '不予推荐', en: 'Rejected' },
  OVERDUE: { zh: '逾期', en: 'Overdue' },
  CANCELLED: { zh: '取消资格', en: 'Cancelled' },
  WITHDRAWN: { zh: '撤回', en: 'Withdrawn' },
  PUBLIC_NOTICE_STARTED: { zh: '开始公示', en: 'Public notice started' },
  RECOGNIZED: { zh: '认定', en: 'Recognised' },
  APPLICANT_NOTIFIED: { zh: '通知申报单位', en: 'Applicant notified' },
  OBJECTION_FILED: { zh: '收到异议', en: 'Objection filed' },
  OBJECTION_UPHELD: { zh: '异议成立', en: 'Objection upheld' },
  OBJECTION_DISMISSED: { zh: '异议不予采纳', en: 'Objection dismissed' },
  LINK_REISSUED: { zh: '重新发送审核链接', en: 'Review link sent again' },
  REMINDER_SENT: { zh: '发送提醒', en: 'Reminder sent' },
  EXECUTION_REDRIVEN: { zh: '从失败处继续执行', en: 'Execution redriven' },
};

export const ROLE_TITLES: Readonly<Record<ActorRole, Bilingual>> = {
  applicant: { zh: '申报单位', en: 'Applicant' },
  reviewer: { zh: '审核单位', en: 'Reviewer' },
  operator: { zh: '运维人员', en: 'Operator' },
  public: { zh: '公众', en: 'Public' },
  workflow: { zh: '审核流程', en: 'Workflow' },
  validator: { zh: '材料校验', en: 'Validator' },
  scheduler: { zh: '定时任务', en: 'Scheduler' },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A Beijing calendar day (YYYY-MM-DD) in words. */
export function dayTitle(date: string): Bilingual {
  const [y, m, d] = date.split('-').map(Number);
  return { zh: `${y}年${m}月${d}日`, en: `${d} ${MONTHS[(m ?? 1) - 1]} ${y}` };
}

/** The public notice's pages (/notice) and the console's objection triage (/console/objections). */
export const NOTICE_WORDS = {
  brand: { zh: '中小企业特色产业集群 · 公示', en: 'SME industrial clusters · public notice' },
  title: { zh: '公示名单', en: 'In public notice' },
  intro: {
    zh: '以下申报正在公示（状态为“公示中”）。公示期内，任何单位和个人均可对公示内容提出异议，由公示所在层级受理并作出处理。',
    en: 'These applications are in public notice. While a notice runs, anyone may object; the level that holds the notice receives each objection and decides it.',
  },
  needs: {
    zh: '提出异议须写明：姓名，所在单位（以单位名义提出的），联系方式，以及异议的事实和依据。无需注册账号。联系方式为电子邮箱的，处理结果将发送至该邮箱；也可凭回执号随时查询。',
    en: 'An objection needs your name, your organisation (if you object for one), a way to reach you, and the facts and grounds. No account is needed. An email address is sent the outcome; the receipt number shows it at any time.',
  },
  needsTitle: { zh: '异议须知', en: 'What an objection needs' },
  none: { zh: '当前没有公示中的申报。', en: 'Nothing is in public notice now.' },
  location: { zh: '所在地', en: 'Location' },
  leadingIndustry: { zh: '主导产业', en: 'Leading industry' },
  subSector: { zh: '细分领域', en: 'Sub-sector' },
  heldBy: { zh: '公示单位', en: 'Notice held by' },
  window: { zh: '公示期（北京时间）', en: 'Notice period (Beijing time)' },
  to: { zh: '至', en: 'to' },
  campaign: { zh: '申报活动', en: 'Campaign' },
  closed: { zh: '公示期已结束，不再受理异议。', en: 'The notice period is over: no more objections are taken.' },
  object: { zh: '提出异议', en: 'Object' },
  objectTo: { zh: '对公示提出异议', en: 'Object to the notice' },
  name: { zh: '姓名', en: 'Your name' },
  organisation: { zh: '所在单位（可选）', en: 'Organisation (optional)' },
  contact: { zh: '联系方式（电话或电子邮箱）', en: 'How to reach you (phone or email)' },
  contactHint: {
    zh: '填写电子邮箱的，处理结果将发送至该邮箱。',
    en: 'An email address is sent the outcome.',
  },
  reason: { zh: '异议的事实和依据', en: 'Facts and grounds' },
  submit: { zh: '提交异议', en: 'Submit the objection' },
  fix: { zh: '请修改标出的内容后重新提交。', en: 'Correct the marked fields and submit again.' },
  received: { zh: '异议已受理', en: 'Objection received' },
  receivedText: {
    zh: '您的异议已送达公示单位，将由其作出处理。异议在处理前不会改变申报的状态。',
    en: 'Your objection has gone to the level holding the notice, which will decide it. Nothing changes for the application until it does.',
  },
  receipt: { zh: '回执号', en: 'Receipt number' },
  keepReceipt: {
    zh: '请保存回执号，凭此查询处理结果。',
    en: 'Keep the receipt number: it shows where your objection stands.',
  },
  lookUpTitle: { zh: '查询异议处理结果', en: 'Where does my objection stand?' },
  lookUp: { zh: '查询', en: 'Look up' },
  statusTitle: { zh: '异议处理结果', en: 'Your objection' },
  pending: { zh: '待处理', en: 'Waiting for a decision' },
  upheld: {
    zh: '异议成立：公示期结束后，该申报退回公示单位重新审核',
    en: 'Upheld: the application goes back to that level for review when the notice closes',
  },
  dismissed: { zh: '不予采纳', en: 'Dismissed' },
  filedAt: { zh: '提出时间', en: 'Filed' },
  resolvedAt: { zh: '处理时间', en: 'Decided' },
  resolution: { zh: '处理说明', en: 'Reason given' },
  about: { zh: '异议对象', en: 'About' },
  outcome: { zh: '处理结果', en: 'Outcome' },
  back: { zh: '返回公示名单', en: 'Back to the notice list' },
  notInNotice: { zh: '未找到公示中的该项申报。', en: 'No application in public notice has this id.' },
  triageTitle: { zh: '公示异议处理', en: 'Objections to decide' },
  triageNote: {
    zh: '异议成立的，公示期结束后退回本级重新审核；不予采纳的须说明理由。尚未处理的异议会暂缓认定，直至处理完毕。',
    en: 'An upheld objection sends the application back to this level’s review when the notice closes; a dismissal needs its reason. An objection not yet decided holds the recognition until it is.',
  },
  noneToTriage: { zh: '没有待处理的异议。', en: 'No objection waits for a decision.' },
  objector: { zh: '异议人', en: 'Objector' },
  noticeEnds: { zh: '公示截止', en: 'Notice ends' },
  uphold: { zh: '异议成立', en: 'Uphold' },
  dismiss: { zh: '不予采纳', en: 'Dismiss' },
  triageReason: { zh: '处理说明（不予采纳时必填）', en: 'Reason (required to dismiss)' },
  decide: { zh: '提交处理结果', en: 'Record the decision' },
  done: { zh: '已记录处理结果。', en: 'The decision is recorded.' },
  toldByEmail: { zh: '已通过电子邮件告知异议人。', en: 'The objector was told by email.' },
  notToldByEmail: {
    zh: '异议人未留电子邮箱（或发送失败），可凭回执号查询结果。',
    en: 'The objector left no email address (or sending failed): the receipt number shows the outcome.',
  },
  signedInFiler: { zh: '登录用户', en: 'Signed-in user' },
} as const satisfies Record<string, Bilingual>;

/**
 * The console's words, as data: every text a page shows exists in Chinese (the default) and
 * English (`?lang=en`). The pipeline's vocabulary (stages, statuses, decisions, tracks, quota
 * levels) is in platform/words.ts and Beijing time in platform/time.ts; everything else the
 * console says (headings, buttons, audit actions and roles) is here.
 */
import * as z from 'zod';
import type { Bilingual, Track } from '../../schemas/common.ts';
import { bilingualHalves } from '../words.ts';
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
  systemActor: { zh: '系统', en: 'System' },
  nameNotRecorded: { zh: '（未登记姓名）', en: '(no name on record)' },
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
  notDone: { zh: '未能办理', en: 'Not done' },
  backToForm: { zh: '返回修改', en: 'Back to the form' },
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
  signInIntroPortal: {
    zh: '请粘贴您的 ID 令牌（ID token）登录申报门户。令牌标明您所在的县（市、区），登录后仅能查看和办理本县的申报。',
    en: "Paste your ID token to sign in to the applicant portal. The token names your county; you see and file only your county's applications.",
  },
  unsavedEntries: {
    zh: '登录已过期，刚才提交的内容未保存。登录后将回到原页面，请重新填写并提交。',
    en: 'Your session had ended: what you just sent was not saved. After signing in you go back to that page; enter it again and send it.',
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
  providerSignInNotePortal: {
    zh: '将转到身份认证服务的登录页面，登录后返回申报门户。也可以在下方粘贴 ID 令牌登录。',
    en: "You go to the identity provider's sign-in page and come back to the portal. Or paste an ID token below.",
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
  // The board's warning: jurisdictions asked to review with nobody registered to email.
  reviewerGaps: { zh: '未登记审核人员', en: 'No registered reviewer' },
  reviewerGapsNote: {
    zh: '以下地区有审核待办，但未登记审核人员：审核链接未发送（不会发往猜测的地址），流程在此等待。请登记审核人员，然后重发链接。',
    en: 'These jurisdictions have reviews waiting but nobody registered to email: no link was sent (never to a guessed address) and the ladder waits. Register their reviewers, then resend the link.',
  },
  gapSince: { zh: '首次发现', en: 'First seen' },
  gapLast: { zh: '最近一次', en: 'Last seen' },

  // ---- the applicants' portal (shared/portal/) ----
  portal: { zh: '中小企业特色产业集群 · 申报门户', en: 'SME industrial clusters · Applicant portal' },
  portalOnly: {
    zh: '申报门户仅供县级中小企业主管部门（申报单位）使用。',
    en: 'The applicant portal is for county SME authorities (applicants) only.',
  },
  toConsole: { zh: '前往运维控制台', en: 'Go to the operations console' },
  ourApplications: { zh: '本县申报', en: 'Our applications' },
  noOwnApplications: { zh: '本县尚无申报', en: 'No applications yet' },
  openCampaigns: { zh: '可申报的活动', en: 'Campaigns open to us' },
  noOpenCampaigns: { zh: '目前没有可申报的活动', en: 'No campaign is open now' },
  newApplication: { zh: '新建申报', en: 'New application' },
  nextDeadline: { zh: '下一截止时间', en: 'Next deadline' },
  waitingOnUs: { zh: '待本县处理', en: 'Waiting on us' },
  returnedReasons: { zh: '退回原因', en: 'Why it was returned' },
  returnedBy: { zh: '退回单位', en: 'Returned by' },
  resubmitBy: { zh: '请在截止时间前修改并重新提交', en: 'Revise and resubmit before the deadline' },
  missingItems: { zh: '尚缺或有误的事项', en: 'Missing or invalid' },
  nothingMissing: { zh: '材料齐全，可以提交', en: 'Complete: ready to submit' },
  continueEditing: { zh: '继续填写', en: 'Continue filling in' },
  open_: { zh: '查看', en: 'Open' },
  ladder: { zh: '审核进度', en: 'Where it stands' },
  ladderCounty: { zh: '县级申报', en: 'County files' },
  stepDone: { zh: '已完成', en: 'done' },
  stepCurrent: { zh: '当前环节', en: 'current' },
  stepStopped: { zh: '在此终止', en: 'ended here' },
  notice: { zh: '通知文号', en: 'Notice' },
  deadlineSubmission: { zh: '县级提交截止', en: 'Counties submit by' },
  deadlineCity: { zh: '市级推荐截止', en: 'Cities recommend by' },
  deadlineProvince: { zh: '省级推荐截止', en: 'Provinces recommend by' },
  deadlineMiit: { zh: '工信部认定', en: 'MIIT decides by' },
  campaign: { zh: '申报活动', en: 'Campaign' },
  createTitle: { zh: '新建申报', en: 'New application' },
  createIntro: {
    zh: '先填写集群的基本情况创建草稿，再逐项填写申报表。草稿可随时保存，提交前不会报送。',
    en: 'Start a draft with the cluster’s basics, then fill in the form. A draft is saved as you go and sent nowhere until you submit.',
  },
  createDraft: { zh: '创建草稿', en: 'Create the draft' },
  editTitle: { zh: '填写申报表', en: 'Fill in the form' },
  saveDraft: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存。', en: 'Saved.' },
  created: { zh: '草稿已创建，请继续填写申报表。', en: 'The draft is created; fill in the form.' },
  submitted: { zh: '已提交，进入审核流程。', en: 'Submitted: the review has begun.' },
  withdrawn: { zh: '已撤回，审核流程已终止。', en: 'Withdrawn: the review has ended.' },
  withdrawnDraft: { zh: '已撤回，草稿已作废。', en: 'Withdrawn: the draft is void.' },
  fixFields: { zh: '以下各项有误，请修改后再保存：', en: 'Fix these fields, then save again:' },
  fieldError: { zh: '有误：', en: 'Problem: ' },
  pickOne: { zh: '请选择', en: 'Choose one' },
  conflict: {
    zh: '保存失败：在您打开本页之后，有其他人已保存了这份申报。下方仍是您填写的内容；请先在新窗口查看已保存的版本，再决定是否用您的内容覆盖（再次保存即覆盖）。',
    en: 'Not saved: someone else saved this application after you opened this page. Your entries are below; look at the saved version in a new window first, then save again to replace it with yours.',
  },
  viewSaved: { zh: '查看已保存的版本', en: 'See the saved version' },
  notEditable: { zh: '此状态下不能修改申报表。', en: 'The form cannot be changed in this status.' },
  warnings: {
    zh: '门槛提示（仅供参考，不影响提交）',
    en: 'Threshold notes (for information; they never block a submission)',
  },
  warningNote: { zh: '提示：', en: 'Note:' },
  unit: { zh: '单位', en: 'Unit' },
  checklist: { zh: '佐证材料清单', en: 'Evidence checklist' },
  item: { zh: '材料', en: 'Item' },
  required: { zh: '必需', en: 'Required' },
  optional: { zh: '可选', en: 'Optional' },
  fileTypes: { zh: '文件类型', en: 'File types' },
  validFiles: { zh: '通过', en: 'Valid' },
  pendingFiles: { zh: '校验中', en: 'Checking' },
  invalidFiles: { zh: '未通过', en: 'Refused' },
  itemOk: { zh: '齐全', en: 'complete' },
  byCity: { zh: '由市级审核单位上传', en: 'uploaded by the city' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
  noEvidence: { zh: '尚未上传佐证材料', en: 'No evidence uploaded yet' },
  file: { zh: '文件', en: 'File' },
  reasons: { zh: '原因', en: 'Reasons' },
  evidenceStatusPENDING: { zh: '上传或校验中', en: 'Uploading or being checked' },
  evidenceStatusVALID: { zh: '校验通过', en: 'Valid' },
  evidenceStatusINVALID: { zh: '未通过校验', en: 'Refused' },
  applicationId: { zh: '申报编号', en: 'Application id' },
  formDigest: { zh: '申报表摘要', en: 'Form digest' },
  formDigestNote: {
    zh: '申报表内容的摘要（SHA-256 前12位）。打印件上的摘要与此一致，即为同一版本。',
    en: 'A digest of the form’s content (first 12 hex digits of SHA-256). A printout showing the same digest is this version.',
  },
  editForm: { zh: '填写申报表', en: 'Edit the form' },
  printForm: { zh: '打印申报表', en: 'Print the form' },
  submitApplication: { zh: '提交申报', en: 'Submit' },
  resubmitApplication: { zh: '重新提交', en: 'Resubmit' },
  withdrawApplication: { zh: '撤回申报', en: 'Withdraw' },
  submitTitle: { zh: '提交前检查', en: 'Before submitting' },
  submitIntro: {
    zh: '提交前逐项检查申报表和佐证材料；有缺漏或错误时不会报送。',
    en: 'The form and the evidence are checked item by item before anything is sent.',
  },
  submitBlocked: {
    zh: '以下各项须先补齐或修改，才能提交：',
    en: 'These must be completed or fixed before you can submit:',
  },
  submitReady: {
    zh: '申报表和佐证材料齐全。提交后进入审核流程，审核期间不能修改（退回时除外）。',
    en: 'The form and the evidence are complete. Once submitted the review begins, and nothing can be changed unless it is returned.',
  },
  overdueTitle: { zh: '逾期不予受理', en: 'Late: not accepted (逾期不予受理)' },
  overdueText: {
    zh: '提交截止时间已过，本申报不能再提交。',
    en: 'The submission deadline has passed; this application can no longer be submitted.',
  },
  notYetOpen: { zh: '申报尚未开始，开始时间：', en: 'The campaign is not open yet; it opens' },
  notSubmittable: { zh: '此状态下无需提交。', en: 'There is nothing to submit in this status.' },
  fixForm: { zh: '修改申报表', en: 'Fix the form' },
  withdrawTitle: { zh: '撤回申报', en: 'Withdraw the application' },
  withdrawConsequences: { zh: '撤回后：', en: 'Withdrawing:' },
  withdrawEnds: {
    zh: '审核流程随即终止，各级审核单位不再审核本申报；',
    en: 'ends the review: no level reviews it any more;',
  },
  withdrawFrees: { zh: '如已占用推荐名额，该名额随即释放；', en: 'frees any quota slot it holds;' },
  withdrawDraftVoid: {
    zh: '本申报尚未提交，草稿随即作废，不会报送；',
    en: 'voids the draft: it was never sent, and never will be;',
  },
  withdrawFinal: {
    zh: '撤回不可恢复；如需再次申报，须新建申报。',
    en: 'cannot be undone: to apply again, start a new application.',
  },
  withdrawReason: { zh: '撤回原因（可选）', en: 'Reason (optional)' },
  confirmWithdraw: { zh: '确认撤回', en: 'Yes, withdraw it' },
  cancel: { zh: '取消', en: 'Cancel' },
  alreadyEnded: { zh: '本申报已结束，无需撤回。', en: 'This application has ended; there is nothing to withdraw.' },
  applicant: { zh: '申报单位', en: 'Applicant' },
  location: { zh: '所在地', en: 'Location' },
  stampBox: { zh: '申报单位（盖章）', en: 'Applicant (stamp)' },
  signDate: { zh: '日期：　　年　　月　　日', en: 'Date: ______' },
  filledBy: { zh: '填表人', en: 'Filled in by' },
  printHint: {
    zh: '用浏览器的“打印”（Ctrl+P）打印本页，选择A4纸。打印件盖章后扫描上传。',
    en: 'Print this page with the browser’s Print (Ctrl+P) on A4. Stamp the printout, then scan and upload it.',
  },
  print: { zh: '打印', en: 'Print' },
  backToApplication: { zh: '返回申报', en: 'Back to the application' },
  portalHome: { zh: '返回首页', en: 'Home' },
  countdown: { zh: '倒计时', en: 'Countdown' },
  ended: { zh: '已结束', en: 'ended' },
  uploadEvidence: { zh: '上传佐证材料', en: 'Upload evidence' },
  // ---- refusals in one language, and each form's own button (pages-words) ----
  requestRefused: { zh: '请求未被受理', en: 'The request was refused' },
  fixFieldsCreate: { zh: '以下各项有误，请修改后再创建草稿：', en: 'Fix these fields, then create the draft:' },
  fixFieldsFile: { zh: '以下各项有误，请修改后再报送：', en: 'Fix these fields, then file the report:' },
} as const satisfies Record<string, Bilingual>;

export type Word = keyof typeof WORDS;

/**
 * A refused form's summary names what its button does, to be done again: 保存 (the 申报表),
 * 创建 (the portal's new draft), 报送 (the annual report).
 */
export type FixWord = Extract<Word, 'fixFields' | 'fixFieldsCreate' | 'fixFieldsFile'>;

/** A translator for one page: `say('late')`, or `say(bilingual)` for text that comes with both. */
export function translator(lang: Lang) {
  return (word: Word | Bilingual): string => (typeof word === 'string' ? WORDS[word][lang] : word[lang]);
}
export type Say = ReturnType<typeof translator>;

/**
 * A message the API writes once in both languages, `<Chinese> / <English>` (the objection form's
 * 请填写姓名 / your name is required, a checklist item's problem): the half of the page's
 * language. Anything else (one language, data) is returned whole.
 */
export function oneLanguage(lang: Lang, message: string): string {
  return bilingualHalves(message)?.[lang] ?? message;
}

/**
 * MIIT's decision on the timeline, as MIIT means it on its track (the review page offers the same
 * choices: shared/review/answer-page.ts): it recognises, passes a re-review, or selects a typical
 * case (入选 / 未入选, never 同意 / 不同意, docs/typical-cases.md). Below MIIT a decision recommends
 * onward or not, and ACTION_TITLES says so.
 */
export const MIIT_DECISION_TITLES: Readonly<Record<Track, Record<'approve' | 'reject', Bilingual>>> = {
  recommendation: {
    approve: { zh: '审核决定：认定', en: 'Decision: recognised' },
    reject: { zh: '审核决定：不予认定', en: 'Decision: not recognised' },
  },
  rereview: {
    approve: { zh: '审核决定：复核通过', en: 'Decision: re-review passed' },
    reject: { zh: '审核决定：复核不通过', en: 'Decision: re-review failed' },
  },
  'typical-case': {
    approve: { zh: '审核决定：入选', en: 'Decision: selected' },
    reject: { zh: '审核决定：未入选', en: 'Decision: not selected' },
  },
};

export const ACTION_TITLES: Readonly<Record<AuditEvent['action'], Bilingual>> = {
  APPLICATION_CREATED: { zh: '创建申报', en: 'Application created' },
  FORM_UPDATED: { zh: '修改申报表', en: 'Form updated' },
  EVIDENCE_REQUESTED: { zh: '申请上传佐证材料', en: 'Evidence upload requested' },
  EVIDENCE_VALIDATED: { zh: '佐证材料校验通过', en: 'Evidence validated' },
  EVIDENCE_REJECTED: { zh: '佐证材料未通过校验', en: 'Evidence refused' },
  SUBMITTED: { zh: '提交申报', en: 'Submitted' },
  STAGE_ENTERED: { zh: '进入审核环节', en: 'Stage entered' },
  STEP_ENTERED: { zh: '进入下一步骤', en: 'Step entered' },
  RETURNED: { zh: '退回修改', en: 'Returned for revision' },
  RESUBMISSION_AWAITED: { zh: '等待重新提交', en: 'Awaiting resubmission' },
  RESUBMITTED: { zh: '重新提交', en: 'Resubmitted' },
  REJECTED: { zh: '不予推荐', en: 'Rejected' },
  OVERDUE: { zh: '逾期', en: 'Overdue' },
  CANCELLED: { zh: '取消资格', en: 'Cancelled' },
  WITHDRAWN: { zh: '撤回', en: 'Withdrawn' },
  PUBLIC_NOTICE_STARTED: { zh: '开始公示', en: 'Public notice started' },
  RECOGNIZED: { zh: '认定', en: 'Recognised' },
  SELECTED: { zh: '入选典型案例', en: 'Selected as a typical case' },
  NOT_SELECTED: { zh: '典型案例未入选', en: 'Typical case not selected' },
  MIGRATED_TO_SELECTED: { zh: '按新规则改为入选（迁移）', en: 'Converted to selected (migration)' },
  APPLICANT_NOTIFIED: { zh: '通知申报单位', en: 'Applicant notified' },
  OBJECTION_FILED: { zh: '收到异议', en: 'Objection filed' },
  OBJECTION_UPHELD: { zh: '异议成立', en: 'Objection upheld' },
  OBJECTION_DISMISSED: { zh: '异议不予采纳', en: 'Objection dismissed' },
  LINK_REISSUED: { zh: '重新发送审核链接', en: 'Review link sent again' },
  REMINDER_SENT: { zh: '发送提醒', en: 'Reminder sent' },
  EXECUTION_REDRIVEN: { zh: '从失败处继续执行', en: 'Execution redriven' },
  EVIDENCE_REMOVED: { zh: '删除佐证材料', en: 'Evidence removed' },
  REVIEW_APPROVED: { zh: '审核决定：同意', en: 'Decision: approved' },
  REVIEW_RETURNED: { zh: '审核决定：退回修改', en: 'Decision: returned for revision' },
  REVIEW_REJECTED: { zh: '审核决定：不同意', en: 'Decision: rejected' },
  DECISION_NOT_TAKEN: { zh: '审核决定未生效', en: 'Decision did not take effect' },
  PANEL_EXPERT_SEATED: { zh: '选派评审专家', en: 'Expert seated on the panel' },
  PANEL_EXPERT_REPLACED: { zh: '更换评审专家', en: 'Panel expert replaced' },
  PANEL_NO_CONFLICT_DECLARED: { zh: '专家声明无利害关系', en: 'Expert declared no conflict of interest' },
  PANEL_EXPERT_RECUSED: { zh: '专家回避', en: 'Expert recused' },
  PANEL_SCORED: { zh: '专家评分', en: 'Expert scored' },
  PANEL_CLOSED: { zh: '专家评审结束', en: 'Expert panel closed' },
  FORMAL_LETTER_ACCEPTED: { zh: '正式推荐文件已报送，该步骤完成', en: 'Formal letter filed: step completed' },
  QUOTA_FULL_TOLD: {
    zh: '推荐名额已满，本步骤未自动完成，已通知审核单位',
    en: 'Quota full: the step did not complete; the level was told',
  },
  REVOCATION_REQUESTED: { zh: '提出取消资格申请（虚假信息）', en: 'Cancellation for false information requested' },
  REVOCATION_DECLINED: { zh: '取消资格申请不予确认', en: 'Cancellation request declined' },
  PROVINCIALLY_RECOGNIZED: {
    zh: '认定为省级集群（未推荐国家级）',
    en: 'Recognised on the provincial list (not sent to MIIT)',
  },
};

export const ROLE_TITLES: Readonly<Record<ActorRole, Bilingual>> = {
  applicant: { zh: '申报单位', en: 'Applicant' },
  reviewer: { zh: '审核单位', en: 'Reviewer' },
  operator: { zh: '运维人员', en: 'Operator' },
  public: { zh: '公众', en: 'Public' },
  workflow: { zh: '审核流程', en: 'Workflow' },
  validator: { zh: '材料校验', en: 'Validator' },
  scheduler: { zh: '定时任务', en: 'Scheduler' },
  expert: { zh: '评审专家', en: 'Expert' },
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
  badReceipt: {
    zh: '回执号格式不正确：回执号共 36 位，形如 176ee66f-1a98-4e34-ac3a-47c79051b5e5，请对照回执重新输入。',
    en: 'That is not a receipt number: it has 36 characters, like 176ee66f-1a98-4e34-ac3a-47c79051b5e5. Check it against your receipt.',
  },
  unknownReceipt: {
    zh: '未找到该回执号的异议，请对照回执核对后重新输入。',
    en: 'No objection has this receipt number. Check it against your receipt.',
  },
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

/** The level documents' page (/console/level-documents) and the review page's pointer to it. */
export const LEVEL_DOCUMENT_WORDS = {
  title: { zh: '本级报送文件', en: 'Level documents' },
  // What this level files on the chosen campaign and track: the kinds the page offers, named
  // (its level, the track and the province's notice decide them), never a fixed list.
  intro: {
    zh: '本级对推荐名单报送一次的文件，因本级层级、申报类别和本省通知而不同。请选择申报批次和类别，查看本级需报送的文件。',
    en: 'The documents a level files once for its list depend on the level, the track and its province’s notice. Choose a campaign and a track to see what this level files.',
  },
  introFiles: { zh: '本级在本批次、本类别报送：', en: 'For this campaign and track, this level files: ' },
  introChecked: {
    zh: '文件上传后立即校验；所需文件校验有效后，等待该文件的审核步骤自动完成。',
    en: 'Each file is checked on arrival; once a file a step needs is valid, the step completes by itself.',
  },
  introNone: {
    zh: '本级在本批次、本类别不报送本级文件。',
    en: 'This level files no documents of its own for this campaign and track.',
  },
  campaign: { zh: '申报批次', en: 'Campaign' },
  track: { zh: '类别', en: 'Track' },
  chooseCampaign: { zh: '请选择申报批次和类别：', en: 'Choose a campaign and a track:' },
  waiting: { zh: '等待本级文件的审核步骤', en: 'Steps waiting for a level document' },
  noneWaiting: { zh: '当前没有等待本级文件的审核步骤。', en: 'No step is waiting for a level document.' },
  step: { zh: '步骤', en: 'Step' },
  needs: { zh: '所需文件', en: 'Needs' },
  met: { zh: '已具备', en: 'On file' },
  missing: { zh: '尚未报送', en: 'Not filed yet' },
  documents: { zh: '本级文件', en: 'Our documents' },
  byLevel: { zh: '本级上传', en: 'filed by this level' },
  summaryTable: { zh: '已生成汇总表', en: 'Summary table generated' },
  notFiledHere: { zh: '本级不报送此类文件', en: 'Not filed at this level' },
  reviewNeeds: { zh: '本步骤需要本级文件', en: 'This step needs a document of the level' },
  goFile: { zh: '上传本级文件', en: 'File the level documents' },
  link: { zh: '本级报送文件', en: 'Level documents' },
} as const satisfies Record<string, Bilingual>;

/** The submission packages' console page (shared/package/page.ts). */
export const PACKAGE_WORDS = {
  title: { zh: '报送材料包', en: 'Submission packages' },
  intro: {
    zh: '省级向工业和信息化部报送的材料包（替代光盘）：正式推荐文件、推荐汇总表及各申报的盖章申报表和佐证材料，附清单（每个文件的SHA-256及校验结论）。',
    en: 'What a province sends MIIT, in place of the CD: its formal letter, the summary table, and each application’s stamped form and evidence, with a manifest (every file’s SHA-256 and the validator’s verdict).',
  },
  campaign: { zh: '申报活动', en: 'Campaign' },
  track: { zh: '类别', en: 'Track' },
  build: { zh: '生成材料包', en: 'Build a package' },
  buildNote: {
    zh: '在后台生成，完成后可在此下载；大型材料包需要几分钟。',
    en: 'Built in the background: download it here once ready. A large package takes minutes.',
  },
  none: { zh: '尚未生成材料包。', en: 'No package yet.' },
  package: { zh: '材料包', en: 'Package' },
  requestedAt: { zh: '申请时间', en: 'Requested' },
  BUILDING: { zh: '生成中', en: 'Building' },
  READY: { zh: '已生成', en: 'Ready' },
  FAILED: { zh: '生成失败', en: 'Failed' },
  size: { zh: '大小', en: 'Size' },
  files: { zh: '文件数', en: 'Files' },
  progress: { zh: '进度', en: 'Progress' },
  download: { zh: '下载', en: 'Download' },
  downloadNote: {
    zh: '下载链接5分钟内有效，刷新页面可获取新链接。',
    en: 'Download links last 5 minutes; reload the page for a new one.',
  },
  verification: { zh: '核验', en: 'Verification' },
  verify: { zh: '核验', en: 'Verify' },
  VERIFYING: { zh: '核验中', en: 'Verifying' },
  VERIFIED: { zh: '核验一致', en: 'Verified' },
  MISMATCH: { zh: '与清单不一致', en: 'Does not match its manifest' },
  notVerified: { zh: '未核验', en: 'Not verified' },
  missing: { zh: '缺少的材料', en: 'Missing' },
  failure: { zh: '失败原因', en: 'Why it failed' },
} as const satisfies Record<string, Bilingual>;

/** The level's expert-panel page (/console/panels, shared/review/panel/console-page.ts). */
export const PANEL_CONSOLE_WORDS = {
  title: { zh: '专家评审', en: 'Expert panels' },
  intro: {
    zh: '本级专家评审环节的申报：为每个申报选派专家（回避本县、本市专家），替换已回避或未按时评分的专家，评分满足人数后结束评审。评审结束前，任何人都看不到专家评分。',
    en: 'The applications at this level’s expert-panel step: seat experts for each (experts from the candidate’s county or city step aside), replace one who recused or has not scored, and close the panel once enough have scored. Nobody sees a score before the panel closes.',
  },
  none: { zh: '当前没有处于专家评审环节的申报。', en: 'No application is waiting at the expert-panel step.' },
  noneWhy: {
    zh: '只有申报活动为本级设置了专家评审环节时，申报才会在此等待专家评审；否则本级不组织专家评审。',
    en: 'Applications wait here only where a campaign’s steps give this level an expert panel; otherwise this level runs none.',
  },
  watchOnly: {
    zh: '运维人员在此查看本级专家评审的进度；选派专家、替换专家和结束评审由本级审核人员办理。',
    en: 'Operators see the progress of this level’s panels here; the level’s reviewers seat and replace experts and close the panels.',
  },
  cluster: { zh: '申报集群', en: 'Cluster' },
  county: { zh: '所在县', en: 'County' },
  panel: { zh: '评审组', en: 'Panel' },
  seated: { zh: '在席', en: 'seated' },
  scored: { zh: '已评分', en: 'scored' },
  recusedCount: { zh: '回避待替换', en: 'recused, to replace' },
  aggregate: { zh: '综合得分', en: 'Aggregate' },
  rank: { zh: '排名', en: 'Rank' },
  due: { zh: '截止', en: 'Due' },
  open: { zh: '管理', en: 'Manage' },
  NOT_OPENED: { zh: '未选派专家', en: 'No expert seated' },
  OPEN: { zh: '评审中', en: 'Open' },
  CLOSED: { zh: '已结束', en: 'Closed' },
  rule: { zh: '评审规则', en: 'Rule' },
  atLeast: { zh: '至少专家人数', en: 'Experts at least' },
  mean: { zh: '平均分', en: 'mean' },
  'trimmed-mean': { zh: '去掉一个最高分和一个最低分后的平均分', en: 'mean without the highest and the lowest' },
  seats: { zh: '评审专家', en: 'Seated experts' },
  noSeats: { zh: '尚未选派专家。', en: 'No expert seated yet.' },
  expert: { zh: '专家', en: 'Expert' },
  affiliation: { zh: '单位', en: 'Organisation' },
  state: { zh: '状态', en: 'State' },
  ASSIGNED: { zh: '已选派，待声明', en: 'Seated, not declared' },
  DECLARED: { zh: '已声明无利害关系', en: 'Declared no conflict' },
  RECUSED: { zh: '已回避', en: 'Recused' },
  SCORED: { zh: '已评分', en: 'Scored' },
  REPLACED: { zh: '已被替换', en: 'Replaced' },
  late: { zh: '尚未评分，选派于', en: 'Not scored; seated' },
  replaces: { zh: '替换', en: 'replaces' },
  reason: { zh: '原因', en: 'Reason' },
  total: { zh: '加权总分', en: 'Weighted total' },
  byCriterion: { zh: '各项评分', en: 'Scores by criterion' },
  hidden: { zh: '评审结束后显示', en: 'shown once closed' },
  directory: { zh: '可选派的专家', en: 'Experts who may be seated' },
  noDirectory: { zh: '本级尚未登记专家库。', en: 'This level has no expert directory yet.' },
  county_conflict: { zh: '回避：来自申报集群所在县', en: 'Steps aside: from the candidate’s county' },
  city_conflict: { zh: '回避：来自申报集群所在市', en: 'Steps aside: from the candidate’s city' },
  seated_already: { zh: '已在本评审组', en: 'On this panel already' },
  left_already: { zh: '已回避或被替换，不再选派', en: 'Recused or replaced on this panel' },
  seat: { zh: '选派所选专家', en: 'Seat the chosen experts' },
  seatNote: { zh: '在席专家不足，至少还需选派', en: 'Too few seated: seat at least' },
  more: { zh: '人', en: 'more' },
  people: { zh: '人', en: 'experts' },
  replace: { zh: '替换专家', en: 'Replace an expert' },
  replaceSeat: { zh: '被替换的专家', en: 'Seat to replace' },
  replaceWith: { zh: '替换为', en: 'Replace with' },
  replaceButton: { zh: '替换', en: 'Replace' },
  noneEligible: { zh: '专家库中没有可选派的专家。', en: 'No expert of the directory may be seated.' },
  close: { zh: '结束评审', en: 'Close the panel' },
  closeNote: {
    zh: '结束后综合得分确定，未评分的专家不能再评分。',
    en: 'Closing fixes the aggregate; experts who have not scored are shut out.',
  },
  closeConfirm: { zh: '确认结束本次专家评审', en: 'I confirm closing this panel' },
  notClosable: { zh: '评分人数不足，暂不能结束：至少需要', en: 'Too few scores to close: at least' },
  results: { zh: '评审结果', en: 'Results' },
  seatedDone: { zh: '已选派专家，评审链接已发送至专家邮箱。', en: 'Seated: each expert was emailed their link.' },
  replacedDone: { zh: '已替换专家，新专家的评审链接已发送。', en: 'Replaced: the new expert was emailed their link.' },
  closedDone: { zh: '专家评审已结束。', en: 'The panel is closed.' },
  back: { zh: '返回专家评审列表', en: 'Back to the panels' },
  link: { zh: '专家评审', en: 'Expert panels' },
} as const satisfies Record<string, Bilingual>;

/** Syllables for synthetic community names: [hanzi, pinyin]. No name is meant to be a real place. */
const heads: [string, string][] = [
  ['海', 'Hai'], ['宝', 'Bao'], ['兴', 'Xing'], ['安', 'An'], ['乐', 'Le'], ['灵', 'Ling'], ['洪', 'Hong'],
  ['龙', 'Long'], ['桃', 'Tao'], ['凤', 'Feng'], ['和', 'He'], ['永', 'Yong'], ['福', 'Fu'], ['翠', 'Cui'],
  ['华', 'Hua'], ['明', 'Ming'], ['清', 'Qing'], ['平', 'Ping'], ['锦', 'Jin'], ['瑞', 'Rui'],
];
const tails: [string, string][] = [
  ['园', 'yuan'], ['湾', 'wan'], ['岗', 'gang'], ['田', 'tian'], ['城', 'cheng'], ['山', 'shan'], ['湖', 'hu'],
  ['塘', 'tang'], ['桥', 'qiao'], ['苑', 'yuan'], ['涌', 'chong'], ['围', 'wei'], ['岭', 'ling'], ['庭', 'ting'],
  ['林', 'lin'], ['河', 'he'], ['港', 'gang'], ['水', 'shui'], ['景', 'jing'], ['丰', 'feng'],
];

export interface PlaceName {
  name: string;
  nameEn: string;
}

/** Every head × tail pair, in a fixed order; callers shuffle with their own seeded PRNG. */
export function placeNames(): PlaceName[] {
  return heads.flatMap(([h, hp]) => tails.map(([t, tp]) => ({ name: h + t, nameEn: hp + tp })));
}

export const chineseOrdinals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

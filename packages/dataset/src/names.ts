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

/** Common surnames and given-name characters: synthetic people only, never a real person's name. */
export const surnames = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高',
  '郑', '梁', '谢', '宋', '唐', '许', '邓', '冯', '韩', '曹', '曾', '彭', '萧', '蔡', '潘', '田', '董', '袁', '于', '余',
];
export const givenNameCharacters = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '玉', '萍', '红', '建', '文', '辉', '力', '波', '宁', '欣', '佳', '晨', '思', '雨', '浩', '宇',
];
